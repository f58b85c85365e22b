#!/bin/bash
# Overload of the demo publisher with its port states polled (BENCHMARKS.md, issue 16 item 6): demo --ports 2000,
# SIPp uac 1,000/s for 10 s, then RATE/s for 10 s while /api/ports?server=publisher is counted by state every
# 0.5 s; prints SIPp totals and the responses in its error log. Stops the demo and SIPp by PID. Loopback only.
# usage: [JAVA_OPTS="..."] loadtest/bin/overload-ports.sh JAR NAME [RATE=4000]
set -u
BIN=$(cd "$(dirname "$0")" && pwd)
JAR=$(readlink -f "$1"); NAME=$2; RATE=${3:-4000}   # absolute: the script changes directory before java -jar
# the demo's ports are fixed: wait for another run to end, and never load a demo that is not this script's own
. "$BIN/demo-ports.sh"; demo_ports_wait
rm -rf /tmp/ovl-$NAME; mkdir -p /tmp/ovl-sp-$NAME; cd /tmp/ovl-sp-$NAME; rm -f ./*
java -Xms2g -Xmx2g ${JAVA_OPTS:-} -jar "$JAR" demo --ports 2000 --data /tmp/ovl-$NAME > /tmp/ovl-$NAME.log 2>&1 &
DEMO=$!
trap 'kill $DEMO 2>/dev/null' EXIT
for i in $(seq 1 120); do curl -s localhost:8080/health >/dev/null && break; sleep 0.5; done
sleep 1
demo_ports_check_own $DEMO /tmp/ovl-$NAME.log
sipp 127.0.0.1:5060 -sn uac -i 127.0.0.1 -p 0 -t u1 -m 10000 -r 1000 -l 2000 -d 0 -timeout 40s -nostdin >/dev/null 2>&1
sleep 3; rm -f ./*
sipp 127.0.0.1:5060 -sn uac -i 127.0.0.1 -p 0 -t u1 -m $((RATE*10)) -r $RATE -l $((RATE*2)) -d 0 -timeout 40s -nostdin -trace_stat -fd 1 -trace_err >/dev/null 2>&1 &
S=$!
. "$BIN/thread-cpu.sh"; thread_cpu_snap $DEMO threads0.tsv; s0=$(awk '{print $14+$15}' /proc/$DEMO/stat); sp=0
while kill -0 $S 2>/dev/null; do
  curl -s -H 'Authorization: Bearer change-me' 'localhost:8080/api/ports?server=publisher' | python3 -c '
import json,sys,collections,time
d=json.load(sys.stdin); c=collections.Counter(p["state"] for p in d["ports"]); print(time.strftime("%T"), dict(c), flush=True)' 2>/dev/null
  sp=$(awk '{print $14+$15}' /proc/$S/stat 2>/dev/null || echo $sp)
  sleep 0.5
done
thread_cpu_snap $DEMO threads1.tsv; s1=$(awk '{print $14+$15}' /proc/$DEMO/stat)
wait $S
echo "cpu ms during the step: demo jvm $(( (s1 - s0) * 10 )) sipp $(( sp * 10 ))"
thread_cpu_diff threads0.tsv threads1.tsv
python3 - <<'PY'
import csv, glob, re, collections
for f in glob.glob('*.csv'):
    rows = list(csv.reader(open(f), delimiter=';')); s = dict(zip(rows[0], rows[-1]))
    codes = collections.Counter(m.group(1) for e in glob.glob('*errors.log') for m in re.finditer(r"received 'SIP/2.0 (\d{3})", open(e).read()))
    print('offered', s['TotalCallCreated'], 'ok', s['SuccessfulCall(C)'], 'failed', s['FailedCall(C)'], 'retrans', s['Retransmissions(C)'], 'codes', dict(codes))
PY
curl -s -H 'Authorization: Bearer change-me' localhost:8080/metrics 2>/dev/null | grep -i "sip\|trunk" | head -20
kill $DEMO; wait $DEMO
