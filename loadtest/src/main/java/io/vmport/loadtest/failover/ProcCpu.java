package io.vmport.loadtest.failover;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time by process or by thread from Linux's {@code /proc}, to say where the two cores went in a window of a
 * benchmark: a {@link Snapshot} of every process (or every thread of one process), and {@link #top} of the
 * difference of two. One read of each {@code stat} file per entry; entries gone between the two are left out.
 *
 * <pre>
 * /proc/PID/stat:  PID (COMM) STATE PPID ... field 14 utime, field 15 stime (clock ticks, 100 per second here)
 *                  COMM may hold spaces and parentheses: the fields are counted after its last ')'
 * </pre>
 */
final class ProcCpu {
    /** Linux's USER_HZ: {@code getconf CLK_TCK} is 100 on every architecture Debian ships. */
    private static final int TICKS_PER_S = 100;

    private ProcCpu() {
    }

    /** CPU ticks by id ({@code pid} or {@code tid}) with each one's name, taken at {@code atNs}. */
    record Snapshot(long atNs, Map<Long, Entry> entries) {
    }

    record Entry(String name, long ticks) {
    }

    /** Every process of the machine. */
    static Snapshot processes() throws IOException {
        return read(Path.of("/proc"));
    }

    /** Every thread of process {@code pid}. */
    static Snapshot threads(long pid) throws IOException {
        return read(Path.of("/proc", Long.toString(pid), "task"));
    }

    /**
     * The {@code n} entries that used the most CPU from {@code before} to {@code after}, as lines
     * {@code name[id] ms (ms/s)}, with the window's length first.
     */
    static String top(Snapshot before, Snapshot after, int n) {
        double windowS = (after.atNs - before.atNs) / 1e9;
        List<Used> used = new ArrayList<>();
        long totalTicks = 0;
        for (Map.Entry<Long, Entry> e : after.entries.entrySet()) {
            Entry was = before.entries.get(e.getKey());
            long ticks = e.getValue().ticks - (was == null ? 0 : was.ticks);
            if (ticks > 0) {
                totalTicks += ticks;
                used.add(new Used(e.getValue().name + "[" + e.getKey() + "]", ticks * 1000 / TICKS_PER_S));
            }
        }
        used.sort(Comparator.comparingLong(Used::ms).reversed());
        long totalMs = totalTicks * 1000 / TICKS_PER_S;
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "window %.2f s, all listed %d ms (%.0f ms/s):",
                windowS, totalMs, totalMs / windowS));
        for (Used u : used.subList(0, Math.min(n, used.size()))) {
            out.append(String.format(Locale.ROOT, "%n  %-40s %6d ms %5.0f ms/s", u.name, u.ms, u.ms / windowS));
        }
        return out.toString();
    }

    /** One entry's CPU over a window. */
    private record Used(String name, long ms) {
    }

    private static Snapshot read(Path dir) throws IOException {
        long atNs = System.nanoTime();
        Map<Long, Entry> entries = new HashMap<>();
        try (DirectoryStream<Path> ids = Files.newDirectoryStream(dir, p -> p.getFileName().toString()
                .chars().allMatch(Character::isDigit))) {
            for (Path id : ids) {
                String stat;
                try {
                    stat = Files.readString(id.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                if (open < 0 || close < open) {
                    continue;
                }
                String[] f = stat.substring(close + 2).split(" ");
                // f[0] is field 3 (state): utime is field 14, stime field 15
                entries.put(Long.parseLong(id.getFileName().toString()),
                        new Entry(stat.substring(open + 1, close), Long.parseLong(f[11]) + Long.parseLong(f[12])));
            }
        }
        return new Snapshot(atNs, entries);
    }
}
