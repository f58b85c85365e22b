#!/bin/bash
# MWI for 10,000 mailboxes after a failover, beside calls (BENCHMARKS.md, issue 14): MwiBurstBench RUNS times, each
# run once without MWI (--no-mwi, the same failover alone: the control) and once with MWI (SIPp as the PBX's MWI
# receiver) per MW-3 pacing in MWI_RATES (the cluster setting mwiSendsPerSecond), interleaved; the 1-minute load
# average is printed at the start and end of each. Ephemeral loopback ports only; every process is stopped by its
# PID. Call set-up is reported twice: SIPp's -trace_rtt (whole ms) and a tshark capture (microseconds).
# Needs engine/target/vmport.jar (mvn -B -o -pl engine -am package -DskipTests) and loadtest/target/classes
# (mvn -B -o -pl loadtest -am compile); JAR and CLASSES override them (e.g. copies taken before a queued run).
# Ends with every mode's runs pooled (python3).
# TAG=NAME puts the runs' files in /tmp/mwi-burst-NAME-* (to keep two builds' runs apart).
# usage: [TAG=NAME] loadtest/bin/mwi-burst.sh [RUNS=2] [MAILBOXES=10000] [RATE=50] [MWI_RATES="2000"]
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
      --work "/tmp/mwi-burst${TAG:+-$TAG}-$i-$mode" 2>&1 | grep -v '^\s*at \|DEBUG\| INFO \| WARN '
  done
done
# every run's calls together per mode (the p99 of one run's ~250 burst calls is its third-slowest call, and the
# controls alone gave 0.4x to 1.6x): p50/p99 of the calls before the kill and in the burst, and their ratio
for mode in control $MWI_RATES; do
  python3 loadtest/bin/lib/pool-setup-times.py "$mode" /tmp/mwi-burst${TAG:+-$TAG}-*-"$mode"/setup-times.csv
done
