#!/bin/bash
# Cold start of a demo under SIPp load (BENCHMARKS.md, "SIP trunk after the overload guard"):
# a fresh demo JVM from JAR, then SIPp's uac at 1,000 calls/s for 20 s, 2,000 for 10 s and 3,000 for 10 s,
# 5 s apart; prints each step's totals; stops the demo and every SIPp it started by PID. Loopback only.
# usage: loadtest/bin/cold-start.sh JAR NAME     (run it once per build to compare, one after the other)
set -u
JAR=$1; NAME=$2
for i in $(seq 1 30); do ss -lntup 2>/dev/null | grep -qE ":(5060|5062|8080|8081|7400|7401) " || break; sleep 1; done
rm -rf "/tmp/cold-$NAME"
java -Xms2g -Xmx2g -jar "$JAR" demo --ports 2000 --data "/tmp/cold-$NAME" > "/tmp/cold-$NAME.log" 2>&1 &
DEMO=$!
trap 'kill $DEMO 2>/dev/null' EXIT
for i in $(seq 1 60); do curl -s localhost:8080/health >/dev/null && break; sleep 1; done
mkdir -p "/tmp/cold-sp-$NAME"; cd "/tmp/cold-sp-$NAME" || exit 2; rm -f ./*
for r in 1000 2000 3000; do
  n=$((r * 10)); [ "$r" = 1000 ] && n=20000
  rm -f ./*.csv
  sipp 127.0.0.1:5060 -sn uac -i 127.0.0.1 -p 0 -t u1 -m $n -r $r -l $((r * 2)) -d 0 -timeout 40s -nostdin \
       -trace_stat -fd 1 >/dev/null 2>&1 &
  S=$!; wait $S; kill $S 2>/dev/null
  python3 - "$NAME" "$r" <<'PY'
import csv, glob, sys
for f in glob.glob('*.csv'):
    rows = list(csv.reader(open(f), delimiter=';')); d = dict(zip(rows[0], rows[-1]))
    print(sys.argv[1], sys.argv[2], {k: d.get(k) for k in
          ['TotalCallCreated', 'SuccessfulCall(C)', 'FailedCall(C)', 'Retransmissions(C)']})
PY
  sleep 5
done
kill $DEMO; wait $DEMO
