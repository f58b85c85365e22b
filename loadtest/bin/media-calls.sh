#!/bin/bash
# Concurrent calls with media on one node (issue 13, "Performance"): one `vmport node` (publisher, embedded MariaDB,
# free loopback ports, PORTS ports in the cluster = PORTS/2 on this server, RTP range RTP_FIRST..+2*PORTS) and SIPp
# on the same machine playing the PBX with loadtest/bin/sipp/voice-load.xml: calls forwarded to mailboxes 1001-1010,
# each sending g711a.pcap twice from the ACK on (over the greeting, then into the recording), then #.
# For each step N of STEPS, SIPp holds N calls at once (-l N, a rate a little above N / call length); once the node
# has N media sessions open, for WINDOW_S seconds: dumpcap captures on lo what vmport sends (source port in the RTP
# range, 64-byte snaplen), /proc gives the CPU of the node, SIPp and dumpcap; then jcmd GC.run + GC.heap_info
# (after the window: the full GC pause is not in the capture) gives the live heap with N calls up. The capture
# goes through loadtest/bin/rtp-intervals.py (per stream mean/p99/max interval). After SIPp ends, the messages
# stored in 1001-1010 are counted against SIPp's successful calls. Every process is stopped by its PID.
#
# usage: loadtest/bin/media-calls.sh JAR NAME [STEPS="100 500 1000"]
#   PROFILE=1: a JFR recording (settings=profile) of the node over each window, $DIR/window-N.jfr
#   WINDOW_S=20 HEAP=1g PORTS=2400 RTP_FIRST=44000 CAPTURE=dumpcap|none  JAVA_OPTS="..."
set -u
JAR=$1; NAME=$2; STEPS=${3:-"100 500 1000"}
WINDOW_S=${WINDOW_S:-20}; HEAP=${HEAP:-1g}; PORTS=${PORTS:-2400}; RTP_FIRST=${RTP_FIRST:-44000}
CAPTURE=${CAPTURE:-dumpcap}
BIN=$(cd "$(dirname "$0")" && pwd)
RTP_LAST=$((RTP_FIRST + 2 * PORTS - 1))
DIR=/tmp/mc-$NAME; rm -rf "$DIR"; mkdir -p "$DIR/sipp"
free_port() { # a free TCP+UDP loopback port outside the RTP range
  python3 - "$RTP_FIRST" "$RTP_LAST" <<'PY'
import socket, sys
while True:
    t = socket.socket(); t.bind(("127.0.0.1", 0)); p = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", p))
    except OSError:
        continue
    if not int(sys.argv[1]) <= p <= int(sys.argv[2]):
        print(p); break
PY
}
SIP=$(free_port); ADMIN=$(free_port); PEER=$(free_port); PEER2=$(free_port); MP=$(free_port)
TOKEN=bench-token
cat > "$DIR/publisher.yaml" <<YAML
server: publisher
sip: {host: 127.0.0.1, port: $SIP, allow: [127.0.0.0/8]}
admin: {host: 127.0.0.1, port: $ADMIN, token: $TOKEN}
peer: {listen: "127.0.0.1:$PEER", address: "127.0.0.1:$PEER2"}
database: {embedded: $DIR/db, poolSize: 8}
media: {host: 127.0.0.1, rtpPorts: $RTP_FIRST-$RTP_LAST}
logLevel: INFO
cluster:
  integration: sip-trunk
  ports: $PORTS
  settings: {networkCheck: [127.0.0.1], maxMessageSeconds: 300, silenceSeconds: 10, minMessageSeconds: 1,
             mediaTimeoutSeconds: 30}
YAML
java -Xms$HEAP -Xmx$HEAP -Xlog:gc:file="$DIR/gc.log" ${JAVA_OPTS:-} -jar "$JAR" node --config "$DIR/publisher.yaml" \
  > "$DIR/node.log" 2>&1 &
NODE=$!
CAP=; SIPP=
cleanup() { for p in $SIPP $CAP $NODE; do kill "$p" 2>/dev/null; done; }
trap cleanup EXIT
api() { curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$ADMIN$1" "${@:2}"; }
for i in $(seq 1 120); do api /api/cluster | grep -q '"PRIMARY"' && break; kill -0 $NODE 2>/dev/null || { cat "$DIR/node.log"; exit 1; }; sleep 1; done
for e in $(seq 1001 1010); do api /api/mailboxes -X POST -d "{\"extension\":\"$e\",\"name\":\"Mailbox $e\"}" >/dev/null; done
metric() { api /metrics | awk -v m="$1" '$1 == m {printf "%d\n", $2}'; }
messages() { local n=0; for e in $(seq 1001 1010); do
  n=$((n + $(api "/api/mailboxes/$e/messages" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["messages"]))'))); done; echo $n; }
ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
live_heap_kb() { jcmd "$NODE" GC.run >/dev/null; jcmd "$NODE" GC.heap_info | awk '/garbage-first heap|total.*used/ {for (i=1;i<=NF;i++) if ($i=="used") {sub("K","",$(i+1)); print $(i+1); exit}}'; }
echo "node pid $NODE sip $SIP admin $ADMIN rtp $RTP_FIRST-$RTP_LAST sipp media port $MP; $(nproc) cores"
sleep 5
HEAP0=$(live_heap_kb)
echo "idle live heap ${HEAP0} KB"
for N in $STEPS; do
  HOLD_S=17   # greeting + 14.3 s of audio + goodbye, measured: see BENCHMARKS.md
  RATE=$(( (N * 115 / 100 + HOLD_S - 1) / HOLD_S ))
  CALLS=$(( RATE * (HOLD_S + 8 + WINDOW_S + 6) ))
  LOAD0=$(cut -d' ' -f1 /proc/loadavg); MSG0=$(messages)
  ( cd "$DIR/sipp" && rm -f ./* && exec sipp "127.0.0.1:$SIP" -sf "$BIN/sipp/voice-load.xml" -inf "$BIN/sipp/mailboxes.csv" \
      -s 5000 -i 127.0.0.1 -mp "$MP" -p 0 -t u1 -r "$RATE" -l "$N" -m "$CALLS" -timeout 300s -nostdin \
      -trace_stat -fd 1 -trace_err >/dev/null 2>&1 ) &
  SIPP=$!
  for i in $(seq 1 120); do [ "$(metric vmport_media_sessions_open)" -ge $((N * 97 / 100)) ] 2>/dev/null && break; sleep 1; done
  OPEN0=$(metric vmport_media_sessions_open); RESTARTS0=$(metric vmport_media_pacer_restarts_total)
  SP=$(pgrep -P $SIPP sipp || echo $SIPP)
  if [ "$CAPTURE" = dumpcap ]; then
    dumpcap -q -i lo -P -s 64 -B 64 -f "udp src portrange $RTP_FIRST-$RTP_LAST" -a "duration:$((WINDOW_S + 3))" \
      -w "$DIR/rtp-$N.pcap" > "$DIR/dumpcap-$N.log" 2>&1 &
    CAP=$!
  fi
  sleep 1
  [ -n "${PROFILE:-}" ] && jcmd $NODE JFR.start name=w settings=profile duration=${WINDOW_S}s filename="$DIR/window-$N.jfr" >/dev/null
  T0=$(date +%s.%N); J0=$(ticks $NODE); S0=$(ticks $SP); C0=$( [ -n "$CAP" ] && ticks $CAP || echo 0)
  sleep "$WINDOW_S"
  T1=$(date +%s.%N); J1=$(ticks $NODE); S1=$(ticks $SP); C1=$( [ -n "$CAP" ] && ticks $CAP || echo 0)
  OPEN1=$(metric vmport_media_sessions_open); RESTARTS1=$(metric vmport_media_pacer_restarts_total)
  [ -n "$CAP" ] && wait $CAP; CAP=
  HEAPN=$(live_heap_kb)
  wait $SIPP; SIPP=
  sleep 3
  MSG1=$(messages); LOAD1=$(cut -d' ' -f1 /proc/loadavg)
  python3 - "$N" "$T0" "$T1" $((J1 - J0)) $((S1 - S0)) $((C1 - C0)) "$OPEN0" "$OPEN1" "$HEAP0" "$HEAPN" \
      $((MSG1 - MSG0)) "$DIR/sipp" "$LOAD0" "$LOAD1" $((RESTARTS1 - RESTARTS0)) "$RATE" <<'PY'
import csv, glob, sys, collections, re
n, t0, t1 = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
jvm, sipp, cap = (int(x) * 10 for x in sys.argv[4:7])   # clock ticks of 10 ms -> ms
open0, open1, heap0, heapn, stored = int(sys.argv[7]), int(sys.argv[8]), int(sys.argv[9]), int(sys.argv[10]), int(sys.argv[11])
secs = t1 - t0; streams = (open0 + open1) / 2
rows = list(csv.reader(open(glob.glob(sys.argv[12] + '/*.csv')[0]), delimiter=';')); d = dict(zip(rows[0], rows[-1]))
codes = collections.Counter(m.group(1) for e in glob.glob(sys.argv[12] + '/*errors.log')
                            for m in re.finditer(r"received 'SIP/2.0 (\d{3})", open(e).read()))
print(f"N {n} rate {sys.argv[16]}/s | sessions open {open0}->{open1} | cpu over {secs:.1f} s: node {jvm / secs / 10:.1f}% "
      f"= {jvm / secs / 10 / streams:.3f}% of a core per stream, sipp {sipp / secs / 10:.1f}%, dumpcap {cap / secs / 10:.1f}% "
      f"| live heap {heap0 // 1024} -> {heapn // 1024} MB = {(heapn - heap0) / max(1, open1):.0f} KB per call "
      f"| pacer restarts {sys.argv[15]} | sipp calls {d['TotalCallCreated']} ok {d['SuccessfulCall(C)']} "
      f"failed {d['FailedCall(C)']} retrans {d['Retransmissions(C)']} codes {dict(codes)} | messages stored {stored} "
      f"| load {sys.argv[13]} -> {sys.argv[14]}", flush=True)
PY
  [ "$CAPTURE" = dumpcap ] && { grep -i "drop" "$DIR/dumpcap-$N.log"; python3 "$BIN/rtp-intervals.py" "$DIR/rtp-$N.pcap" "$RTP_FIRST" "$RTP_LAST"; rm -f "$DIR/rtp-$N.pcap"; }
done
kill $NODE; wait $NODE
