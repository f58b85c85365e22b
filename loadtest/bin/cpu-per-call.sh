#!/bin/bash
# CPU per call under SIPp load (BENCHMARKS.md, "Where a call's CPU goes"): starts one target on 127.0.0.1:5060,
# warms it (SIPp uac 500/s 20 s, 1,000/s 20 s, 1,500/s 10 s), measures 2,500 calls/s for 20 s with the CPU time
# (utime+stime from /proc) of the target JVM, its database and SIPp divided by the calls offered, then runs
# steps at RATES (STEP_S seconds each). Stops every process it started by PID. Loopback only.
#
# usage: loadtest/bin/cpu-per-call.sh JAR NAME [JAVA_OPTS...]
#   MODE=demo  (default) java -jar JAR demo --ports ${PORTS:-2000}      JAR = engine/target/vmport.jar
#   MODE=trunk TrunkOnly: the SIP adapter alone                          JAR = loadtest/target/benchmarks.jar
#   MODE=bare  BareJainSipUas --tuned: JAIN-SIP alone                   JAR = loadtest/target/benchmarks.jar
#   MODE=shed  TrunkOnly --shed-all: every call a stateless 503        JAR = loadtest/target/benchmarks.jar
#   RATES="3000 3500 4000 4500 5000" STEP_S=10
#   AP_LIB=/path/libasyncProfiler.so: async-profiler (collapsed stacks per thread) over the 2,500 step
# Over the 2,500 step it also prints the CPU of each target thread and (demo) the RTP packets the demo sent.
set -u
BIN=$(cd "$(dirname "$0")" && pwd)
JAR=$1; NAME=$2; shift 2
RATES=${RATES:-"3000 3500 4000 4500 5000"}
MODE=${MODE:-demo}
. "$BIN/demo-ports.sh"; demo_ports_wait   # refuses to run on ports another benchmark holds
rm -rf "/tmp/cpu-$NAME" "/tmp/cpu-sp-$NAME"; mkdir -p "/tmp/cpu-sp-$NAME"
case $MODE in
  bare)  java -Xms2g -Xmx2g "$@" -cp "$JAR" io.vmport.loadtest.sipp.BareJainSipUas --port 5060 --tuned \
           > "/tmp/cpu-$NAME.log" 2>&1 & ;;
  trunk) java -Xms2g -Xmx2g "$@" -cp "$JAR" io.vmport.loadtest.sipp.TrunkOnly --port 5060 > "/tmp/cpu-$NAME.log" 2>&1 & ;;
  shed)  java -Xms2g -Xmx2g "$@" -cp "$JAR" io.vmport.loadtest.sipp.TrunkOnly --port 5060 --shed-all \
           > "/tmp/cpu-$NAME.log" 2>&1 & ;;
  *)     java -Xms2g -Xmx2g "$@" -jar "$JAR" demo --ports "${PORTS:-2000}" --data "/tmp/cpu-$NAME" \
           > "/tmp/cpu-$NAME.log" 2>&1 & ;;
esac
TARGET=$!
trap 'kill $TARGET 2>/dev/null' EXIT
for i in $(seq 1 90); do
  if [ "$MODE" = demo ]; then curl -s localhost:8080/health >/dev/null && break; else grep -q "SIP on" "/tmp/cpu-$NAME.log" && break; fi
  sleep 1
done
demo_ports_check_own $TARGET "/tmp/cpu-$NAME.log"
# a target whose trunk could not bind stays alive (the stack's threads), so its log must say it listens
if [ "$MODE" != demo ] && ! grep -q "SIP on" "/tmp/cpu-$NAME.log"; then
  echo "the target did not start: $(grep -m1 -i exception "/tmp/cpu-$NAME.log")" >&2; exit 2
fi
DB=$(pgrep -f "mariadbd.*cpu-$NAME" | head -1); [ -z "$DB" ] && DB=$$   # no database: count this shell (idle)
cd "/tmp/cpu-sp-$NAME" || exit 2
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
step() { # RATE SECONDS
  rm -f ./*.csv ./*errors.log
  sipp 127.0.0.1:5060 -sn uac -i 127.0.0.1 -p 0 -t u1 -m $(($1 * $2)) -r "$1" -l $(($1 * 2)) -d 0 -timeout 60s \
       -nostdin -trace_stat -fd 1 -trace_err >/dev/null 2>&1 &
  S=$!; j0=$(ticks $TARGET); d0=$(ticks "$DB"); s=0
  while kill -0 $S 2>/dev/null; do s=$(ticks $S 2>/dev/null || echo $s); sleep 0.5; done
  wait $S; j1=$(ticks $TARGET); d1=$(ticks "$DB")
  python3 - "$NAME" "$1" $((j1 - j0)) $((d1 - d0)) "$s" <<'PY'
import csv, glob, re, sys, collections
for f in glob.glob('*.csv'):
    rows = list(csv.reader(open(f), delimiter=';')); d = dict(zip(rows[0], rows[-1]))
    n = int(d['TotalCallCreated']); ok = int(d['SuccessfulCall(C)'])
    j, db, sp = (int(x) * 10 for x in sys.argv[3:6])  # clock ticks of 10 ms
    codes = collections.Counter(m.group(1) for e in glob.glob('*errors.log')
                                for m in re.finditer(r"received 'SIP/2.0 (\d{3})", open(e).read()))
    print(f"{sys.argv[1]} rate {sys.argv[2]}: ok {ok}/{n} failed {d['FailedCall(C)']} "
          f"retrans {d['Retransmissions(C)']} unexpected {dict(codes)} | cpu ms/call: jvm {j / n:.3f} "
          f"db {db / n:.3f} sipp {sp / n:.3f} total {(j + db + sp) / n:.3f}", flush=True)
PY
}
. "$BIN/thread-cpu.sh"
profile() { [ -n "${AP_LIB:-}" ] && jcmd $TARGET JVMTI.agent_load "$AP_LIB" \
  "\"$1,event=itimer,interval=1ms,threads,file=/tmp/prof-$NAME.collapsed,collapsed\"" >/dev/null; }
step 500 20; sleep 3; step 1000 20; sleep 3; step 1500 10; sleep 5
rtp_out() { [ "$MODE" = demo ] && curl -s -H "Authorization: Bearer change-me" localhost:8080/metrics | awk '/^vmport_media_packets_out_total/ {print int($2)}'; }
profile start
thread_cpu_snap $TARGET threads0.tsv; p0=$(rtp_out)
step 2500 20
thread_cpu_snap $TARGET threads1.tsv; thread_cpu_diff threads0.tsv threads1.tsv; p1=$(rtp_out)
[ -n "$p0" ] && [ -n "$p1" ] && echo "RTP packets sent over the 2,500 step: $((p1 - p0)) ($(( (p1 - p0) / 500 )) per 100 calls)"
profile stop
sleep 5
for r in $RATES; do step "$r" "${STEP_S:-10}"; sleep 5; done
kill $TARGET; wait $TARGET
