#!/bin/bash
# MWI for 10,000 mailboxes after a failover, beside calls (BENCHMARKS.md, issue 14): MwiBurstBench RUNS times, each
# run once with MWI (SIPp as the PBX's MWI receiver) and once without (--no-mwi, the same failover alone),
# interleaved; the 1-minute load average is printed at the start and end of each. Ephemeral loopback ports only;
# every process is stopped by its PID. Needs engine/target/vmport.jar (mvn -B -o -pl engine -am package -DskipTests)
# and loadtest/target/classes (mvn -B -o -pl loadtest -am compile).
# usage: loadtest/bin/mwi-burst.sh [RUNS=2] [MAILBOXES=10000] [RATE=50]
set -u
RUNS=${1:-2}; MAILBOXES=${2:-10000}; RATE=${3:-50}
cd "$(dirname "$0")/../.."
HDR=$(find ~/.m2/repository/org/hdrhistogram -name 'HdrHistogram-*.jar' | head -1)
CP=loadtest/target/classes:engine/target/vmport.jar:$HDR
for i in $(seq 1 "$RUNS"); do
  for mode in mwi control; do
    extra=""; [ "$mode" = control ] && extra="--no-mwi"
    echo "=== run $i $mode $(date -u +%T) load: $(cut -d' ' -f1-3 /proc/loadavg)"
    java -Xmx512m -cp "$CP" io.vmport.loadtest.failover.MwiBurstBench --jar engine/target/vmport.jar \
      --mailboxes "$MAILBOXES" --rate "$RATE" --hold-ms 1000 --warmup-s 10 --before-s 15 --after-s 15 $extra \
      --work "/tmp/mwi-burst-$i-$mode" 2>&1 | grep -v '^\s*at \|DEBUG\| INFO \| WARN '
  done
done
