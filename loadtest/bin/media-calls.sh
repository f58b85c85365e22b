#!/bin/bash
# Concurrent calls with media on one node (issue 13, "Performance"): one `vmport node` (publisher, embedded MariaDB,
# free loopback ports, PORTS ports in the cluster = PORTS/2 on this server, RTP range RTP_FIRST..+2*PORTS; see
# loadtest/bin/lib/vmport-node.sh) and SIPp
# on the same machine playing the PBX with loadtest/bin/sipp/voice-load.xml: calls forwarded to mailboxes 1001-1010,
# each sending g711a.pcap three times from the ACK on (over the greeting, then into the recording), then #.
# For each step N of STEPS, SIPp holds N calls at once (-l N, a rate a little above N / call length); once the node
# has N media sessions open, for WINDOW_S seconds: dumpcap captures on lo what vmport sends (source port in the RTP
# range, 64-byte snaplen), /proc gives the CPU of the node, SIPp and dumpcap; then jcmd GC.run + GC.heap_info
# (after the window: the full GC pause is not in the capture) gives the live heap with N calls up. The capture
# goes through loadtest/bin/rtp-intervals.py (per stream mean/p99/max interval). After SIPp ends, the messages
# stored in 1001-1010 (once the message writer has caught up) are counted against SIPp's successful calls. Every process is stopped by its PID.
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
. "$BIN/lib/vmport-node.sh"
CAP=; SIPP=; NODE=
cleanup() { for p in $SIPP $CAP $NODE; do kill "$p" 2>/dev/null; done; }
trap cleanup EXIT
start_node ${JAVA_OPTS:-}
messages() { local n=0; for e in $(seq 1001 1010); do
  n=$((n + $(api "/api/mailboxes/$e/messages" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["messages"]))'))); done; echo $n; }
settled_messages() { # the count once the message writer has caught up: unchanged for 5 s (at most 120 s)
  local last=-1 now i; for i in $(seq 1 24); do now=$(messages); [ "$now" = "$last" ] && break; last=$now; sleep 5; done; echo "$now"; }
live_heap_kb() { jcmd "$NODE" GC.run >/dev/null; jcmd "$NODE" GC.heap_info | awk '/garbage-first heap|total.*used/ {for (i=1;i<=NF;i++) if ($i=="used") {sub("K","",$(i+1)); print $(i+1); exit}}'; }
echo "node pid $NODE sip $SIP admin $ADMIN rtp $RTP_FIRST-$RTP_LAST sipp media port $MP; $(nproc) cores"
sleep 5
HEAP0=$(live_heap_kb)
echo "idle live heap ${HEAP0} KB"
for N in $STEPS; do
  HOLD_S=24   # 21.4 s of audio, then #, the goodbye and BYE
  RATE=$(( (N * 115 / 100 + HOLD_S - 1) / HOLD_S ))
  CALLS=$(( RATE * (HOLD_S + 8 + WINDOW_S + 6) ))
  LOAD0=$(cut -d' ' -f1 /proc/loadavg); MSG0=$(settled_messages); KEPT0=$(grep -c "kept for the database" "$DIR/node.log")
  ( cd "$DIR/sipp" && rm -f ./* && exec sipp "127.0.0.1:$SIP" -sf "$BIN/sipp/voice-load.xml" -inf "$BIN/sipp/mailboxes.csv" \
      -s 5000 -i 127.0.0.1 -mp "$MP" -p 0 -t u1 -r "$RATE" -l "$N" -m "$CALLS" -timeout 300s -nostdin \
      -trace_stat -fd 1 -trace_err >/dev/null 2>&1 ) &
  SIPP=$!
  for i in $(seq 1 120); do [ "$(metric vmport_media_sessions_open)" -ge $((N * 97 / 100)) ] 2>/dev/null && break; sleep 1; done
  OPEN0=$(metric vmport_media_sessions_open); RESTARTS0=$(metric vmport_media_pacer_restarts_total)
  OUT0=$(metric vmport_media_packets_out_total)
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
  OUT1=$(metric vmport_media_packets_out_total)
  [ -n "$CAP" ] && wait $CAP; CAP=
  HEAPN=$(live_heap_kb)
  wait $SIPP; SIPP=
  MSG1=$(settled_messages); LOAD1=$(cut -d' ' -f1 /proc/loadavg)
  KEPT=$(grep "kept for the database" "$DIR/node.log" | tail -n +$((KEPT0 + 1)) | grep -o "([0-9]* ms)" | tr -d '(ms)' \
    | awk '{n++; if ($1 < 8000) s++} END {printf "%d kept by the conversations, %d of them under 8 s (11 s sent after the greeting)", n, s}')
  python3 - "$N" "$T0" "$T1" $((J1 - J0)) $((S1 - S0)) $((C1 - C0)) "$OPEN0" "$OPEN1" "$HEAP0" "$HEAPN" \
      $((MSG1 - MSG0)) "$DIR/sipp" "$LOAD0" "$LOAD1" $((RESTARTS1 - RESTARTS0)) "$RATE" "$KEPT" $((OUT1 - OUT0)) <<'PY'
import csv, glob, sys, collections, re
n, t0, t1 = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
jvm, sipp, cap = (int(x) * 10 for x in sys.argv[4:7])   # clock ticks of 10 ms -> ms
open0, open1, heap0, heapn, stored = int(sys.argv[7]), int(sys.argv[8]), int(sys.argv[9]), int(sys.argv[10]), int(sys.argv[11])
secs = t1 - t0; streams = (open0 + open1) / 2
rows = list(csv.reader(open(glob.glob(sys.argv[12] + '/*.csv')[0]), delimiter=';')); d = dict(zip(rows[0], rows[-1]))
codes = collections.Counter(m.group(1) for e in glob.glob(sys.argv[12] + '/*errors.log')
                            for m in re.finditer(r"received 'SIP/2.0 (\d{3})", open(e).read()))
print(f"N {n} rate {sys.argv[16]}/s | sessions open {open0}->{open1} | cpu over {secs:.1f} s: node {jvm / secs / 10:.1f}% "
      f"= {jvm / secs / 10 / streams:.3f}% of a core per stream open; {jvm * 1000 / max(1, int(sys.argv[18])):.1f} us "
      f"of node CPU per frame sent ({int(sys.argv[18]) / secs / 50:.0f} streams' worth of frames), sipp {sipp / secs / 10:.1f}%, dumpcap {cap / secs / 10:.1f}% "
      f"| live heap {heap0 // 1024} -> {heapn // 1024} MB = {(heapn - heap0) / max(1, open1):.0f} KB per call "
      f"| pacer restarts {sys.argv[15]} | sipp calls {d['TotalCallCreated']} ok {d['SuccessfulCall(C)']} "
      f"failed {d['FailedCall(C)']} retrans {d['Retransmissions(C)']} codes {dict(codes)} | messages stored {stored} "
      f"({sys.argv[17]}) "
      f"| load {sys.argv[13]} -> {sys.argv[14]}", flush=True)
PY
  [ "$CAPTURE" = dumpcap ] && { grep -i "drop" "$DIR/dumpcap-$N.log"; python3 "$BIN/rtp-intervals.py" "$DIR/rtp-$N.pcap" "$RTP_FIRST" "$RTP_LAST"; rm -f "$DIR/rtp-$N.pcap"; }
done
kill $NODE; wait $NODE
