#!/bin/bash
# Call setup rate with media beside the same build without it (issue 13, "Performance"): one `vmport node`
# (loadtest/bin/lib/vmport-node.sh) started with MEDIA=on or off (-Dvmport.media=off: calls are answered without
# media session or conversation, the answer naming the discard port). SIPp's built-in uac (INVITE offering PCMU,
# 200, ACK, BYE at once: -d 0) at each rate of RATES for STEP_S seconds; per step the calls offered, successful,
# failed (and the responses that failed them) and the node's CPU (utime+stime from /proc) per call offered. With
# media on, every call opens an RTP socket on a port of the range, connects it, starts its conversation (the
# prompt asking for an extension: a caller with no mailbox), and closes it on the BYE. Stops what it started by PID.
#
# usage: loadtest/bin/media-setup-rate.sh JAR NAME on|off [RATES="200 400 600 800"]
#   PROFILE=1: a JFR recording (settings=profile) of the node over each step, $DIR/rate-RATE.jfr
#   STEP_S=10 HEAP=1g PORTS=2400 RTP_FIRST=44000
set -u
JAR=$1; NAME=$2; MEDIA=$3; RATES=${4:-"200 400 600 800"}
STEP_S=${STEP_S:-10}; HEAP=${HEAP:-1g}; PORTS=${PORTS:-2400}; RTP_FIRST=${RTP_FIRST:-44000}
RTP_LAST=$((RTP_FIRST + 2 * PORTS - 1))
DIR=/tmp/msr-$NAME; rm -rf "$DIR"; mkdir -p "$DIR/sipp"
. "$(dirname "$0")/lib/vmport-node.sh"
SIPP=
trap 'for p in $SIPP $NODE; do kill "$p" 2>/dev/null; done' EXIT
start_node -Dvmport.media="$MEDIA"
step() { # RATE
  ( cd "$DIR/sipp" && rm -f ./* && exec sipp "127.0.0.1:$SIP" -sn uac -i 127.0.0.1 -mp "$MP" -p 0 -t u1 \
      -m $(($1 * STEP_S)) -r "$1" -l $(($1 * 2)) -d 0 -timeout 60s -nostdin -trace_stat -fd 1 -trace_err \
      >/dev/null 2>&1 ) &
  SIPP=$!
  local j0 j1 u0 u1 l0 out0 out1
  [ -n "${PROFILE:-}" ] && jcmd $NODE JFR.start name=s settings=profile filename="$DIR/rate-$1.jfr" >/dev/null
  u0=$(awk '{print $14}' /proc/$NODE/stat); j0=$(ticks $NODE); l0=$(cut -d' ' -f1 /proc/loadavg); out0=$(metric vmport_media_packets_out_total)
  wait $SIPP; SIPP=
  [ -n "${PROFILE:-}" ] && jcmd $NODE JFR.stop name=s >/dev/null
  u1=$(awk '{print $14}' /proc/$NODE/stat); j1=$(ticks $NODE); out1=$(metric vmport_media_packets_out_total)
  python3 - "$NAME" "$MEDIA" "$1" $((j1 - j0)) "$DIR/sipp" "$l0" "$(cut -d' ' -f1 /proc/loadavg)" $((out1 - out0)) $((u1 - u0)) <<'PY'
import csv, glob, re, sys, collections
rows = list(csv.reader(open(glob.glob(sys.argv[5] + '/*.csv')[0]), delimiter=';')); d = dict(zip(rows[0], rows[-1]))
n = int(d['TotalCallCreated']); ok = int(d['SuccessfulCall(C)'])
codes = collections.Counter(m.group(1) for e in glob.glob(sys.argv[5] + '/*errors.log')
                            for m in re.finditer(r"received 'SIP/2.0 (\d{3})", open(e).read()))
print(f"{sys.argv[1]} media {sys.argv[2]} rate {sys.argv[3]}/s: ok {ok}/{n} failed {d['FailedCall(C)']} "
      f"retrans {d['Retransmissions(C)']} codes {dict(codes)} | node cpu {int(sys.argv[4]) * 10 / max(1, n):.3f} ms/call "
      f"(user {int(sys.argv[9]) * 10 / max(1, n):.3f}, kernel {(int(sys.argv[4]) - int(sys.argv[9])) * 10 / max(1, n):.3f}) "
      f"| rtp frames sent {sys.argv[8]} | load {sys.argv[6]} -> {sys.argv[7]}", flush=True)
PY
}
sleep 3
for r in $RATES; do step "$r"; sleep 3; done
kill $NODE; wait $NODE
