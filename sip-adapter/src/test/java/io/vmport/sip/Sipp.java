package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs SIPp as the PBX. Every run is bounded twice: SIPp gets {@code -m} (calls) and {@code -timeout} (with
 * {@code -timeout_error}, so it fails rather than hangs), and the process is killed by its PID in a finally.
 * The result comes from SIPp's exit status and the last line of its {@code -trace_stat} CSV.
 */
public final class Sipp {

    /** SIPp exit statuses (sipp(1)): 0 every call succeeded, 1 at least one failed. */
    public static final int ALL_CALLS_SUCCEEDED = 0;
    private static final int TIMEOUT_SECONDS = 30;

    public record Result(int exitCode, long successful, long failed, String log) {
        @Override
        public String toString() {
            return "sipp exit " + exitCode + ", successful " + successful + ", failed " + failed + "\n" + log;
        }
    }

    private Sipp() {
    }

    /** Skips the calling test when sipp is not installed; under CI=true fails it instead. */
    public static void requireOrSkip() {
        requireOrSkip(onPath(), System.getenv("CI"));
    }

    public static void requireOrSkip(boolean present, String ci) {
        if (!present && "true".equalsIgnoreCase(ci)) {
            fail("sipp is not on PATH and CI=true: SIPp tests must run in CI (install sip-tester)");
        }
        assumeTrue(present, "sipp is not on PATH: SIPp tests skipped");
    }

    public static boolean onPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "sipp"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Plays {@code scenario} (a file under test resources {@code sipp/}) against the trunk on 127.0.0.1.
     *
     * @param transport SIPp's {@code -t}: "u1" (UDP, one socket) or "t1" (TCP, one connection)
     * @param service   the Request-URI user ({@code -s})
     */
    public static Result run(String scenario, int trunkPort, String transport, String service, int calls, int holdMs,
            Path workDir) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sipp", "127.0.0.1:" + trunkPort, "-s", service,
                "-r", "10", "-l", Integer.toString(Math.max(1, calls)), "-d", Integer.toString(holdMs)));
        try (Running run = start(resource("sipp/" + scenario), transport, calls, workDir, command)) {
            return run.await();
        }
    }

    /**
     * Starts SIPp as a UAS on {@code 127.0.0.1:port} (UDP) playing {@code scenario} for {@code calls} calls, and
     * returns once it listens. {@code keys} are name, value pairs: each {@code [name]} of the scenario is
     * replaced by its value in a copy under {@code workDir} (SIPp's own {@code -key} reaches neither the status
     * line, which it checks on loading, nor regular expressions).
     */
    public static Running startUas(String scenario, int port, int calls, Path workDir, String... keys)
            throws IOException, InterruptedException {
        String text = Files.readString(resource("sipp/" + scenario), StandardCharsets.ISO_8859_1);
        for (int i = 0; i + 1 < keys.length; i += 2) {
            text = text.replace("[" + keys[i] + "]", keys[i + 1]);
        }
        Path copy = Files.createTempFile(workDir, scenario.replace(".xml", "-"), ".xml");
        Files.writeString(copy, text, StandardCharsets.ISO_8859_1);
        List<String> command = new ArrayList<>(List.of("sipp", "-p", Integer.toString(port)));
        Running uas = start(copy, "u1", calls, workDir, command);
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!udpBound(port)) {
            if (!uas.process.isAlive() || System.nanoTime() - deadlineNs > 0) {
                uas.close();
                fail("sipp UAS did not bind 127.0.0.1:" + port + ": " + uas.log());
            }
            Thread.sleep(10);
        }
        return uas;
    }

    private static Running start(Path xml, String transport, int calls, Path workDir, List<String> command)
            throws IOException {
        String name = xml.getFileName().toString().replace(".xml", "") + "-" + transport;
        Path stats = workDir.resolve(name + "-stats.csv");
        Path errors = workDir.resolve(name + "-errors.log");
        Path out = workDir.resolve(name + "-out.log");
        command.addAll(List.of("-sf", xml.toString(), "-i", "127.0.0.1", "-t", transport,
                "-m", Integer.toString(calls),
                "-timeout", TIMEOUT_SECONDS + "s", "-timeout_error", "-nostdin",
                "-trace_stat", "-stf", stats.toString(), "-fd", "1",
                "-trace_err", "-error_file", errors.toString()));
        Process process = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        return new Running(process, command, stats, errors, out);
    }

    /** Whether something holds UDP {@code port} on loopback (SIPp, once it listens). */
    private static boolean udpBound(int port) {
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(port, java.net.InetAddress.getLoopbackAddress())) {
            return false;
        } catch (java.net.SocketException inUse) {
            return true;
        }
    }

    /** A running SIPp, killed by its PID on close. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final List<String> command;
        private final Path stats;
        private final Path errors;
        private final Path out;

        private Running(Process process, List<String> command, Path stats, Path errors, Path out) {
            this.process = process;
            this.command = command;
            this.stats = stats;
            this.errors = errors;
            this.out = out;
        }

        /** Waits for SIPp to finish its calls (bounded by its own -timeout) and reads its result. */
        public Result await() throws IOException, InterruptedException {
            long pid = process.pid();
            try {
                if (!process.waitFor(TIMEOUT_SECONDS + 15, TimeUnit.SECONDS)) {
                    fail("sipp (pid " + pid + ") still running after " + (TIMEOUT_SECONDS + 15) + " s: " + command);
                }
            } finally {
                close();
            }
            long[] totals = totals(stats);
            return new Result(process.exitValue(), totals[0], totals[1], log());
        }

        String log() throws IOException {
            return "command: " + String.join(" ", command) + "\n" + tail(errors) + tail(out);
        }

        @Override
        public void close() {
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** SuccessfulCall(C) and FailedCall(C) from the last line of SIPp's statistics CSV; -1 when absent. */
    public static long[] totals(Path csv) throws IOException {
        if (!Files.exists(csv)) {
            return new long[] {-1, -1};
        }
        List<String> lines = Files.readAllLines(csv, StandardCharsets.ISO_8859_1);
        if (lines.size() < 2) {
            return new long[] {-1, -1};
        }
        List<String> header = List.of(lines.get(0).split(";"));
        String[] last = lines.get(lines.size() - 1).split(";");
        int ok = header.indexOf("SuccessfulCall(C)");
        int failed = header.indexOf("FailedCall(C)");
        if (ok < 0 || failed < 0 || last.length <= Math.max(ok, failed)) {
            throw new AssertionError("unexpected SIPp statistics in " + csv + ": " + lines.get(0));
        }
        return new long[] {Long.parseLong(last[ok].trim()), Long.parseLong(last[failed].trim())};
    }

    private static Path resource(String name) {
        try {
            var url = Sipp.class.getClassLoader().getResource(name);
            if (url == null) {
                throw new AssertionError("no test resource " + name);
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        return "--- " + file.getFileName() + "\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())) + "\n";
    }
}
