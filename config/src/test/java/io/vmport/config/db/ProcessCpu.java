package io.vmport.config.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time from Linux's {@code /proc} for benchmarks (issue 18): a process's user+system time, all its threads,
 * and the whole machine's busy time, in clock ticks ({@value #TICKS_PER_SECOND} a second, {@code getconf CLK_TCK}).
 */
final class ProcessCpu {
    static final int TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    /**
     * utime + stime of {@code pid}: fields 14 and 15 of {@code /proc/<pid>/stat}, counted after the command name
     * in parentheses (which may hold spaces): {@code pid (comm) state ppid ... utime stime ...}.
     */
    static long processTicks(long pid) {
        String stat = read(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(after[11]) + Long.parseLong(after[12]); // field 3 (state) is after[0]
    }

    /**
     * Busy ticks of every core together, from the first line of {@code /proc/stat}:
     * {@code cpu user nice system idle iowait irq softirq steal ...}, everything but idle and iowait.
     */
    static long machineBusyTicks() {
        String first = read(Path.of("/proc/stat")).lines().findFirst().orElseThrow();
        String[] f = first.trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i <= 8 && i < f.length; i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(f[i]);
            }
        }
        return busy;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
