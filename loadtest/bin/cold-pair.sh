#!/bin/bash
# Cold start of a pair at a modest rate (issue 16 item 3): a fresh demo JVM (both nodes), then from the first
# second SIPp uac at RATE calls/s to each node (publisher 5060, subscriber 5062) for SECONDS; prints per node the
# calls offered, successful, failed and the 503s and 302s SIPp received. Stops the demo and both SIPp by PID.
# usage: [JAVA_OPTS="..."] loadtest/bin/cold-pair.sh JAR NAME [RATE=100] [SECONDS=20] [PORTS=2000]
set -u
BIN=$(cd "$(dirname "$0")" && pwd)
JAR=$1; NAME=$2; RATE=${3:-100}; SECONDS_=${4:-20}; PORTS=${5:-2000}
. "$BIN/demo-ports.sh"; demo_ports_wait   # refuses to run on ports another benchmark holds
rm -rf "/tmp/coldpair-$NAME"; mkdir -p "/tmp/coldpair-sp-$NAME/pub" "/tmp/coldpair-sp-$NAME/sub"
java -Xms2g -Xmx2g ${JAVA_OPTS:-} -jar "$JAR" demo --ports "$PORTS" --data "/tmp/coldpair-$NAME" > "/tmp/coldpair-$NAME.log" 2>&1 &
DEMO=$!
trap 'kill $DEMO 2>/dev/null' EXIT
for i in $(seq 1 120); do curl -s localhost:8080/health >/dev/null && curl -s localhost:8081/health >/dev/null && break; sleep 0.5; done
demo_ports_check_own $DEMO "/tmp/coldpair-$NAME.log"
run() { # DIR PORT
  cd "/tmp/coldpair-sp-$NAME/$1" && rm -f ./*
  sipp "127.0.0.1:$2" -sn uac -i 127.0.0.1 -p 0 -t u1 -m $((RATE * SECONDS_)) -r "$RATE" -l $((RATE * 2)) -d 0 \
       -timeout 60s -nostdin -trace_stat -fd 1 -trace_err >/dev/null 2>&1
}
run pub 5060 & P=$!
run sub 5062 & S=$!
wait $P $S
for d in pub sub; do
  python3 - "$NAME" "$d" "/tmp/coldpair-sp-$NAME/$d" <<'PY'
import csv, glob, re, sys, collections
d = sys.argv[3]
for f in glob.glob(d + '/*.csv'):
    rows = list(csv.reader(open(f), delimiter=';')); s = dict(zip(rows[0], rows[-1]))
    codes = collections.Counter(m.group(1) for e in glob.glob(d + '/*errors.log')
                                for m in re.finditer(r"received 'SIP/2.0 (\d{3})", open(e).read()))
    print(sys.argv[1], sys.argv[2], 'offered', s['TotalCallCreated'], 'ok', s['SuccessfulCall(C)'], 'failed',
          s['FailedCall(C)'], 'retrans', s['Retransmissions(C)'], 'codes', dict(codes), flush=True)
PY
done
kill $DEMO; wait $DEMO
grep -h "stopped: TrunkCounters" "/tmp/coldpair-$NAME.log" | sed "s/.*sip trunk //"
