package io.vmport.loadtest.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A live {@code tshark} capture on the loopback interface, written to a pcap file: started before the
 * traffic, stopped by its PID after it. {@link #start} returns once tshark says it captures, so nothing sent after
 * it is missed; {@link #close} stops it with SIGTERM (tshark then writes what it holds) and kills it if it lingers.
 */
public final class LoopbackCapture implements AutoCloseable {
    private static final long START_TIMEOUT_MS = 15_000;

    private final Process process;
    private final Path pcap;
    private final Path log;

    private LoopbackCapture(Process process, Path pcap, Path log) {
        this.process = process;
        this.pcap = pcap;
        this.log = log;
    }

    /** Captures UDP to or from {@code firstPort..lastPort} on {@code lo} into {@code pcap}. */
    public static LoopbackCapture start(Path pcap, int firstPort, int lastPort) throws IOException,
            InterruptedException {
        return start(pcap, "udp portrange " + firstPort + "-" + lastPort);
    }

    /** Captures what the capture filter {@code bpfFilter} (pcap-filter syntax) passes on {@code lo} into {@code pcap}. */
    public static LoopbackCapture start(Path pcap, String bpfFilter) throws IOException, InterruptedException {
        Path log = pcap.resolveSibling(pcap.getFileName() + ".log");
        Process p = new ProcessBuilder("tshark", "-i", "lo", "-f", bpfFilter, "-w", pcap.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LoopbackCapture capture = new LoopbackCapture(p, pcap, log);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (!capture.logText().contains("Capturing on")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                capture.close();
                throw new IllegalStateException("tshark did not start capturing on lo within " + START_TIMEOUT_MS
                        + " ms (exit " + (p.isAlive() ? "none, still running" : p.exitValue()) + "): "
                        + capture.logText());
            }
            Thread.sleep(50); // polling tshark's own output: there is no event to wait on
        }
        return capture;
    }

    /** Where the capture is written. */
    public Path pcap() {
        return pcap;
    }

    @Override
    public void close() throws InterruptedException {
        long pid = process.pid();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }
}
