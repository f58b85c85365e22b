package io.vmport.loadtest.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What {@code sox FILE -n stat} says of some audio: its length and loudness. Used to prove audio is there (not
 * silence) and as long as it should be.
 *
 * @param lengthSeconds  "Length (seconds)"
 * @param rmsAmplitude   "RMS amplitude", 0..1 of full scale
 * @param maxAmplitude   "Maximum amplitude"
 */
public record SoxStat(double lengthSeconds, double rmsAmplitude, double maxAmplitude) {
    /** Below this RMS (about -60 dBFS) audio counts as silence. */
    public static final double SILENCE_RMS = 0.001;

    /** A WAV file, or anything sox knows by its extension. */
    public static SoxStat of(Path file) throws IOException, InterruptedException {
        return run(List.of(file.toString()));
    }

    /** Raw 8 kHz mono G.711: A-law when {@code alaw}, else mu-law. */
    public static SoxStat ofG711(Path raw, boolean alaw) throws IOException, InterruptedException {
        return run(List.of("-t", alaw ? "al" : "ul", "-r", "8000", "-c", "1", raw.toString()));
    }

    public boolean silent() {
        return rmsAmplitude < SILENCE_RMS;
    }

    private static SoxStat run(List<String> input) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sox"));
        command.addAll(input);
        command.addAll(List.of("-n", "stat"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start(); // stat writes to stderr
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return new SoxStat(field(out, "Length (seconds):"), field(out, "RMS     amplitude:"),
                    field(out, "Maximum amplitude:"));
        } finally {
            p.destroyForcibly();
        }
    }

    private static double field(String out, String name) {
        for (String line : out.split("\n")) {
            if (line.startsWith(name)) {
                return Double.parseDouble(line.substring(name.length()).trim());
            }
        }
        throw new IllegalStateException("sox stat printed no '" + name + "': " + out);
    }
}
