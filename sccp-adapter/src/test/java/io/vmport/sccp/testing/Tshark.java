package io.vmport.sccp.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code tshark} on a capture. Missing tshark skips the test, except under {@code CI=true}, where it fails.
 */
public final class Tshark {
    /** Wireshark's expert severity "warning" (PI_WARN); the TCP handshake's "chat" notes are below it. */
    public static final String EXPERT_WARN = "0x00600000";

    private Tshark() {
    }

    /** The tshark executable; skips or fails the test when there is none. */
    public static String require() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Paths.get(dir, "tshark");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("tshark is not on PATH; under CI=true the SCCP capture test must run (apt-get install tshark)");
        }
        assumeTrue(false, "tshark is not installed");
        return null;
    }

    /**
     * One line per TCP segment with data: frame number, protocols, Skinny message ids (comma separated),
     * malformed markers, expert severities; tab separated.
     */
    public static List<String> skinnyFields(String tshark, Path pcap, int port) throws Exception {
        return run(tshark, "-r", pcap.toString(), "-d", "tcp.port==" + port + ",skinny",
                "-Y", "tcp.len > 0", "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,",
                "-e", "frame.number", "-e", "frame.protocols", "-e", "skinny.messageId", "-e", "_ws.malformed",
                "-e", "_ws.expert.severity");
    }

    /** One line per Skinny message of the frames matching {@code filter}: the {@code fields}, tab separated. */
    public static List<String> skinnyMessageFields(String tshark, Path pcap, int port, String filter,
            String... fields) throws Exception {
        List<String> command = new ArrayList<>(List.of(tshark, "-r", pcap.toString(), "-d",
                "tcp.port==" + port + ",skinny", "-Y", filter, "-T", "fields", "-E", "occurrence=a"));
        for (String f : fields) {
            command.add("-e");
            command.add(f);
        }
        return run(command.toArray(String[]::new));
    }

    /** tshark's text of the Skinny layer of every frame ({@code -O skinny}). */
    public static String skinnyText(String tshark, Path pcap, int port) throws Exception {
        return String.join("\n", run(tshark, "-r", pcap.toString(), "-d", "tcp.port==" + port + ",skinny", "-O",
                "skinny"));
    }

    /** The frames that are malformed, carry a warning or an error, or have data that is not Skinny. */
    public static List<String> badFrames(String tshark, Path pcap, int port) throws Exception {
        return run(tshark, "-r", pcap.toString(), "-d", "tcp.port==" + port + ",skinny",
                "-Y", "_ws.malformed || _ws.expert.severity >= " + EXPERT_WARN + " || (tcp.len > 0 && !skinny)");
    }

    private static List<String> run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "tshark ends within 30 s");
            assertEquals(0, p.exitValue(), () -> "tshark exit status; output: " + new String(out));
            List<String> lines = new ArrayList<>();
            for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
            return lines;
        } finally {
            p.destroyForcibly();
        }
    }
}
