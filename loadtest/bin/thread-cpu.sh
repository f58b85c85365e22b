#!/bin/bash
# Sourced by the load scripts: the CPU time of each thread of a JVM between two snapshots, from /proc (exact, no
# sampling). Thread names are the kernel's (15 chars), digits folded so that pools add up.
# usage: thread_cpu_snap PID FILE; ...; thread_cpu_snap PID FILE2; thread_cpu_diff FILE FILE2
thread_cpu_snap() {
  # one read of every thread's stat: "tid (comm) state f4 ... f52"; utime and stime are fields 14 and 15. A loop of
  # a process or two per thread took 2 s of CPU for the demo's 75 threads, in the step it was meant to measure.
  cat /proc/$1/task/*/stat 2>/dev/null | sed -E 's/^[0-9]+ \((.*)\) (.*)$/\1\t\2/' \
    | awk -F'\t' '{n = split($2, f, " "); if (n >= 13) print $1 "\t" f[12] + f[13]}' > "$2"
}
thread_cpu_diff() {
  python3 - "$1" "$2" <<'PY'
import collections, re, sys
def load(f):
    c = collections.Counter()
    for line in open(f):
        name, _, ticks = line.rstrip('\n').rpartition('\t')
        if ticks.isdigit():
            c[re.sub(r'\d+', '#', name)] += int(ticks)
    return c
d = load(sys.argv[2]); d.subtract(load(sys.argv[1]))
print('cpu ms by thread:', ', '.join(f'{k} {v * 10}' for k, v in d.most_common(14) if v > 0), flush=True)
PY
}
