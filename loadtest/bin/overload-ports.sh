#!/bin/bash
# Overload of the demo publisher with its port states polled (BENCHMARKS.md, issue 16 item 6): demo --ports 2000,
# a warm-up long and high enough that the JIT compiler is done before the step (SIPp uac 1,000/s for 10 s, 2,500/s
# for WARM_S=20 s, RATE/s for BURST_S=3 s so that the refusal paths are compiled too, then a wait until the
# publisher's ports are idle and 35 s more for the stack's transaction table to empty), then RATE/s for 10 s.
# Prints the compiler threads' CPU over the 2,500/s phase, the wait and the step; per second of the step the CPU of
# the demo JVM, its database, SIPp and the compiler threads, and the publisher's ports by state; the datagrams the
# kernel dropped for full receive buffers; SIPp's totals and the responses in its error log; the trunk's counters.
# Stops the demo and SIPp by PID. Loopback only.
# usage: [JAVA_OPTS="..."] [WARM_S=20] [BURST_S=3] [SIPP_BUF=4194304] loadtest/bin/overload-ports.sh JAR NAME [RATE=4000]
set -u
BIN=$(cd "$(dirname "$0")" && pwd)
JAR=$(readlink -f "$1"); NAME=$2; RATE=${3:-4000}   # absolute: the script changes directory before java -jar
WARM_S=${WARM_S:-20}; BURST_S=${BURST_S:-3}
# SIPp's socket buffers (its default is 64 KiB): descheduled for a few ms at 6,000 calls/s, SIPp's socket overflows
# and the kernel drops the node's answers, which SIPp then retransmits for; SIPP_BUF=0 keeps SIPp's default
SIPP_BUF=${SIPP_BUF:-4194304}
BUF=(); [ "$SIPP_BUF" != 0 ] && BUF=(-buff_size "$SIPP_BUF")
# the demo's ports are fixed: wait for another run to end, and never load a demo that is not this script's own
. "$BIN/demo-ports.sh"; demo_ports_wait
. "$BIN/thread-cpu.sh"
rm -rf /tmp/ovl-$NAME; mkdir -p /tmp/ovl-sp-$NAME; cd /tmp/ovl-sp-$NAME; rm -f ./*
java -Xms2g -Xmx2g ${JAVA_OPTS:-} -jar "$JAR" demo --ports 2000 --data /tmp/ovl-$NAME > /tmp/ovl-$NAME.log 2>&1 &
DEMO=$!
trap 'kill $DEMO 2>/dev/null' EXIT
for i in $(seq 1 120); do curl -s localhost:8080/health >/dev/null && break; sleep 0.5; done
sleep 1
demo_ports_check_own $DEMO /tmp/ovl-$NAME.log
DB=$(pgrep -f "mariadbd.*ovl-$NAME" | head -1); [ -z "$DB" ] && DB=$$
ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
jit() { cat /proc/$DEMO/task/*/stat 2>/dev/null | awk '/Compiler/ {sub(/^.*\) /, ""); t += $12 + $13} END {print t + 0}'; }
ports() {
  curl -s -m 2 -H 'Authorization: Bearer change-me' 'localhost:8080/api/ports?server=publisher' | python3 -c '
import json,sys,collections
d=json.load(sys.stdin); c=collections.Counter(p["state"] for p in d["ports"]); print(" ".join(f"{k}={v}" for k,v in sorted(c.items())))' 2>/dev/null
}
uac() { # RATE SECONDS [extra sipp args]
  local r=$1 s=$2; shift 2
  sipp 127.0.0.1:5060 -sn uac -i 127.0.0.1 -p 0 -t u1 -m $((r * s)) -r $r -l $((r * 2)) -d 0 -timeout 40s -nostdin "${BUF[@]}" "$@" >/dev/null 2>&1
}
uac 1000 10
j0=$(jit); uac 2500 "$WARM_S"; j1=$(jit)
echo "warm-up: compiler threads $(( (j1 - j0) * 10 )) ms of CPU over the ${WARM_S} s at 2,500/s"
uac "$RATE" "$BURST_S"
for i in $(seq 1 90); do o=$(ports); [[ $o == *IDLE=* && $o != *RINGING* && $o != *IN_CALL* ]] && break; sleep 1; done
# The warm-up's BYE transactions stay in the stack's table for Timer J (32 s over UDP); at 70% of the table the trunk
# refuses every new INVITE on arrival, and 2,500/s fills it that far: start the step once they have gone.
j2=$(jit); sleep 35; j3=$(jit)
echo "warm-up: burst of ${BURST_S} s at $RATE/s; ports idle after ${i} s; compiler threads $(( (j3 - j2) * 10 )) ms over the next 35 s (idle, Timer J)"
rm -f ./*
echo "uptime at step: $(uptime)"
now() { cut -d' ' -f1 /proc/uptime; }
rcvbuf() { awk '/^Udp:/ && $6 ~ /^[0-9]+$/ {print $6}' /proc/net/snmp; }
thread_cpu_snap $DEMO threads0.tsv; s0=$(ticks $DEMO); d0=$(ticks $DB); k0=$(jit); e0=$(now); r0=$(rcvbuf); : > drops.txt
sipp 127.0.0.1:5060 -sn uac -i 127.0.0.1 -p 0 -t u1 -m $((RATE * 10)) -r $RATE -l $((RATE * 2)) -d 0 -timeout 40s \
     -nostdin "${BUF[@]}" -trace_stat -fd 1 -trace_err >/dev/null 2>&1 &
S=$!
# the publisher's ports by state, every second, in a loop of its own (an answer can take a second under overload)
( while kill -0 $S 2>/dev/null; do echo "$(cut -d' ' -f1 /proc/uptime) ports: $(ports)"; sleep 1; done ) > ports.txt &
P=$!
a=$s0; b=$d0; c=$k0; q=0; w=0; u=$e0
while kill -0 $S 2>/dev/null; do
  sleep 1
  x=$(ticks $DEMO); y=$(ticks $DB); z=$(jit); v=$(now); w2=$(awk '{print $14+$15}' /proc/$S/stat 2>/dev/null) && w=$w2
  # CPU in ms per second of wall time since the last sample (ticks of 10 ms)
  awk -v t="$(echo "$v - $e0" | bc)" -v dt="$(echo "$v - $u" | bc)" -v x=$((x - a)) -v y=$((y - b)) -v s=$((w - q)) -v z=$((z - c)) \
      'BEGIN {printf "t=%5.1fs cpu ms/s: demo %5.0f db %4.0f sipp %4.0f jit %4.0f\n", t, x*10/dt, y*10/dt, s*10/dt, z*10/dt}'
  a=$x; b=$y; c=$z; q=$w; u=$v
  # datagrams each socket dropped for a full receive buffer (the last column; SIPp's socket goes when it exits)
  kill -0 $S 2>/dev/null && awk 'NR > 1 && $NF > 0 {print $2, $NF}' /proc/net/udp > drops.txt
done
r1=$(rcvbuf)
thread_cpu_snap $DEMO threads1.tsv; s1=$(ticks $DEMO); d1=$(ticks $DB); k1=$(jit)
wait $S; wait $P
awk -v e0="$e0" '{printf "t=%5.1fs %s\n", $1 - e0, substr($0, index($0, "ports:"))}' ports.txt
echo "datagrams dropped for a full receive buffer in the step, all sockets: $((r1 - r0)); per socket (local address, drops since it opened; 13C4 = the node's 5060): $(tr '\n' ' ' < drops.txt)"
echo "cpu ms during the step: demo jvm $(( (s1 - s0) * 10 )) (compiler threads $(( (k1 - k0) * 10 ))) db $(( (d1 - d0) * 10 )) sipp $(( w * 10 ))"
thread_cpu_diff threads0.tsv threads1.tsv
python3 - <<'PY'
import csv, glob, re, collections
for f in glob.glob('*.csv'):
    rows = list(csv.reader(open(f), delimiter=';')); s = dict(zip(rows[0], rows[-1]))
    text = ''.join(open(e).read() for e in glob.glob('*errors.log'))
    codes = collections.Counter(m.group(1) for m in re.finditer(r"received 'SIP/2.0 (\d{3})", text))
    # calls per Call-ID by the first unexpected response (a 302 is retransmitted until ACKed)
    calls = {}
    for m in re.finditer(r"received 'SIP/2.0 (\d{3})[^']*?Call-ID: ([^\r\n]+)", text, re.S):
        calls.setdefault(m.group(2).strip(), m.group(1))
    print('offered', s['TotalCallCreated'], 'ok', s['SuccessfulCall(C)'], 'failed', s['FailedCall(C)'], 'retrans',
          s['Retransmissions(C)'], 'codes', dict(codes), 'calls by code', dict(collections.Counter(calls.values())))
PY
echo "uptime at end: $(uptime)"
kill $DEMO; wait $DEMO
grep -h "stopped: TrunkCounters" /tmp/ovl-$NAME.log | head -2
