package io.vmport.loadtest.sipp;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One bounded SIPp run as the PBX. Bounded twice: in calls ({@code -m}) and in time ({@code -timeout} with
 * {@code -timeout_error}, so SIPp fails rather than hangs); the process is also killed by its PID in a finally, so
 * no run outlives its caller. The result comes from SIPp's exit status and the last line of its
 * {@code -trace_stat} CSV (SuccessfulCall(C), FailedCall(C), and every other cumulative column).
 *
 * <p>Either a scenario file ({@link #scenario(Path)}) or a built-in ({@link #builtin(String)}, e.g. "uac").
 */
public final class SippRun {
    /** SIPp's exit status when every call succeeded (sipp(1)); 1 means at least one failed. */
    public static final int ALL_CALLS_SUCCEEDED = 0;

    private final String target;
    private final List<String> scenarioArgs = new ArrayList<>();
    private String name = "sipp";
    private String service = "answer";
    private String transport = "u1";
    private int calls = 1;
    private double rate = 10;
    private int limit = 0;
    private int holdMs = 0;
    private int timeoutSeconds = 30;
    private final List<String> extra = new ArrayList<>();

    /** A run against {@code host:port} (loopback in every use here). */
    public SippRun(String host, int port) {
        this.target = host + ":" + port;
    }

    public SippRun scenario(Path xml) {
        scenarioArgs.clear();
        scenarioArgs.addAll(List.of("-sf", xml.toString()));
        String file = xml.getFileName().toString();
        name = file.endsWith(".xml") ? file.substring(0, file.length() - 4) : file;
        return this;
    }

    public SippRun builtin(String scenario) {
        scenarioArgs.clear();
        scenarioArgs.addAll(List.of("-sn", scenario));
        name = scenario;
        return this;
    }

    /** The name the work files start with (the scenario's by default). */
    public SippRun name(String value) {
        name = value;
        return this;
    }

    /** The Request-URI user ({@code -s}). */
    public SippRun service(String value) {
        service = value;
        return this;
    }

    /** SIPp's {@code -t}: "u1" (UDP, one socket), "un" (a socket per call), "t1" (TCP, one connection). */
    public SippRun transport(String value) {
        transport = value;
        return this;
    }

    /** How many calls in all ({@code -m}). */
    public SippRun calls(int value) {
        calls = value;
        return this;
    }

    /** New calls per second ({@code -r}). */
    public SippRun rate(double value) {
        rate = value;
        return this;
    }

    /** At most this many calls at once ({@code -l}); 0 = as many as {@code calls}. */
    public SippRun limit(int value) {
        limit = value;
        return this;
    }

    /** The scenario's pause ({@code -d}, ms): the hold time of an answered call. */
    public SippRun holdMs(int value) {
        holdMs = value;
        return this;
    }

    /** The whole run's bound in seconds ({@code -timeout}); the process is killed 15 s after it at the latest. */
    public SippRun timeoutSeconds(int value) {
        timeoutSeconds = value;
        return this;
    }

    /** Further SIPp arguments, e.g. {@code -inf FILE}. */
    public SippRun extra(String... args) {
        extra.addAll(List.of(args));
        return this;
    }

    public List<String> command(Path workDir) {
        Path stats = workDir.resolve(name + "-stats.csv");
        Path errors = workDir.resolve(name + "-errors.log");
        List<String> command = new ArrayList<>(List.of("sipp", target));
        command.addAll(scenarioArgs);
        command.addAll(List.of("-s", service, "-i", "127.0.0.1", "-t", transport,
                "-m", Integer.toString(calls), "-r", trimmed(rate), "-l", Integer.toString(limit > 0 ? limit : calls),
                "-d", Integer.toString(holdMs),
                "-timeout", timeoutSeconds + "s", "-timeout_error", "-nostdin",
                "-trace_stat", "-stf", stats.toString(), "-fd", "1",
                "-trace_err", "-error_file", errors.toString()));
        command.addAll(extra);
        return command;
    }

    /** Runs SIPp in {@code workDir} (created if needed) and waits for it; kills it by PID in any case. */
    public Result run(Path workDir) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        List<String> command = command(workDir);
        Path out = workDir.resolve(name + "-out.log");
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        long pid = process.pid();
        int exit;
        try {
            if (!process.waitFor(timeoutSeconds + 15L, TimeUnit.SECONDS)) {
                throw new IllegalStateException("sipp (pid " + pid + ") still running " + (timeoutSeconds + 15)
                        + " s after start: " + String.join(" ", command));
            }
            exit = process.exitValue();
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Long> last = lastRow(workDir.resolve(name + "-stats.csv"));
        String log = "command: " + String.join(" ", command) + "\n"
                + tail(workDir.resolve(name + "-errors.log")) + tail(out);
        return new Result(exit, last.getOrDefault("SuccessfulCall(C)", -1L), last.getOrDefault("FailedCall(C)", -1L),
                last.getOrDefault("ElapsedTime(C)", -1L), seconds, last, log);
    }

    /**
     * @param successful     SuccessfulCall(C)
     * @param failed         FailedCall(C)
     * @param elapsedMs      SIPp's own elapsed time (ElapsedTime(C) in ms), -1 when absent
     * @param wallSeconds    from start to exit as this JVM saw it
     * @param totals         every numeric cumulative column of the last statistics line
     */
    public record Result(int exitCode, long successful, long failed, long elapsedMs, double wallSeconds,
                         Map<String, Long> totals, String log) {
        public boolean allSucceeded() {
            return exitCode == ALL_CALLS_SUCCEEDED && failed == 0 && successful > 0;
        }

        @Override
        public String toString() {
            return "sipp exit " + exitCode + ", successful " + successful + ", failed " + failed + " in "
                    + String.format("%.1f", wallSeconds) + " s\n" + log;
        }
    }

    /** The last line of SIPp's statistics CSV: numeric columns by header name ("HH:MM:SS" times as ms). */
    static Map<String, Long> lastRow(Path csv) throws IOException {
        Map<String, Long> row = new LinkedHashMap<>();
        if (!Files.exists(csv)) {
            return row;
        }
        List<String> lines = Files.readAllLines(csv, StandardCharsets.ISO_8859_1);
        if (lines.size() < 2) {
            return row;
        }
        String[] header = lines.get(0).split(";");
        String[] last = lines.get(lines.size() - 1).split(";");
        for (int i = 0; i < Math.min(header.length, last.length); i++) {
            String v = last[i].trim();
            try {
                row.put(header[i].trim(), Long.parseLong(v));
            } catch (NumberFormatException notANumber) {
                Long ms = hmsMillis(v);
                if (ms != null) {
                    row.put(header[i].trim(), ms);
                }
            }
        }
        return row;
    }

    /** "HH:MM:SS" or "HH:MM:SS:mmm" as ms; null otherwise. */
    private static Long hmsMillis(String v) {
        String[] p = v.split(":");
        if (p.length < 3 || p.length > 4) {
            return null;
        }
        try {
            long ms = (Long.parseLong(p[0]) * 3600 + Long.parseLong(p[1]) * 60 + Long.parseLong(p[2])) * 1000;
            return p.length == 4 ? ms + Long.parseLong(p[3]) : ms;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** True when an executable {@code sipp} is on PATH. */
    public static boolean onPath() {
        return onPath("sipp");
    }

    /** True when an executable named {@code executable} is on PATH (tshark, sox...). */
    public static boolean onPath(String executable) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, executable))) {
                return true;
            }
        }
        return false;
    }

    private static String trimmed(double r) {
        return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        return "--- " + file.getFileName() + "\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())) + "\n";
    }
}
