#!/bin/bash
# MWI for 10,000 mailboxes after a failover, beside calls (BENCHMARKS.md, issue 14): MwiBurstBench RUNS times, each
# run once without MWI (--no-mwi, the same failover alone: the control) and once with MWI (SIPp as the PBX's MWI
# receiver) per MW-3 pacing in MWI_RATES (the cluster setting mwiSendsPerSecond), interleaved; the 1-minute load
# average is printed at the start and end of each. Ephemeral loopback ports only; every process is stopped by its
# PID. Call set-up is reported twice: SIPp's -trace_rtt (whole ms) and a tshark capture (microseconds).
# Needs engine/target/vmport.jar (mvn -B -o -pl engine -am package -DskipTests) and loadtest/target/classes
# (mvn -B -o -pl loadtest -am compile); JAR and CLASSES override them (e.g. copies taken before a queued run).
# Ends with every mode's runs pooled (python3).
# usage: loadtest/bin/mwi-burst.sh [RUNS=2] [MAILBOXES=10000] [RATE=50] [MWI_RATES="2000"]
set -u
RUNS=${1:-2}; MAILBOXES=${2:-10000}; RATE=${3:-50}; MWI_RATES=${4:-2000}
cd "$(dirname "$0")/../.."
JAR=${JAR:-engine/target/vmport.jar}; CLASSES=${CLASSES:-loadtest/target/classes}
HDR=$(find ~/.m2/repository/org/hdrhistogram -name 'HdrHistogram-*.jar' | head -1)
CP=$CLASSES:$JAR:$HDR
for i in $(seq 1 "$RUNS"); do
  for mode in control $MWI_RATES; do
    extra="--mwi-rate $mode"; [ "$mode" = control ] && extra="--no-mwi"
    echo "=== run $i $mode $(date -u +%T) load: $(cut -d' ' -f1-3 /proc/loadavg)"
    java -Xmx512m -cp "$CP" io.vmport.loadtest.failover.MwiBurstBench --jar "$JAR" \
      --mailboxes "$MAILBOXES" --rate "$RATE" --hold-ms 1000 --warmup-s 10 --before-s 15 --after-s 15 $extra \
      --work "/tmp/mwi-burst-$i-$mode" 2>&1 | grep -v '^\s*at \|DEBUG\| INFO \| WARN '
  done
done
# every run's calls together per mode (the p99 of one run's ~250 burst calls is its third-slowest call, and the
# controls alone gave 0.8x to 1.6x): p50/p99 of the calls before the kill and in the burst, and their ratio
for mode in control $MWI_RATES; do
  python3 - "$mode" /tmp/mwi-burst-*-"$mode"/setup-times.csv <<'PY'
import sys
mode, files = sys.argv[1], sys.argv[2:]
w = {"before": [], "burst": [], "after": []}
for f in files:
    for line in open(f).read().split("\n")[1:]:
        if line:
            k, v = line.split(";"); w[k].append(int(v))
def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(p / 100 * len(xs) + 0.5)) - 1)] / 1000 if xs else float("nan")
b, d = w["before"], w["burst"]
print(f"pooled {mode} over {len(files)} runs: before {len(b)} calls p50 {pct(b,50):.3f} p99 {pct(b,99):.3f} ms;"
      f" burst {len(d)} calls p50 {pct(d,50):.3f} p99 {pct(d,99):.3f} ms; p99 ratio {pct(d,99)/pct(b,99):.2f}")
PY
done
