package io.vmport.engine.messages;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** Audio files made in the test with {@code javax.sound.sampled}: a tone in any rate, channels and encoding. */
public final class TestWavs {
    private TestWavs() {
    }

    /** {@code seconds} of a 440 Hz tone as 16-bit PCM, {@code rateHz}, {@code channels}, in a file of {@code type}. */
    public static byte[] pcm(int rateHz, int channels, double seconds, AudioFileFormat.Type type) {
        int frames = (int) Math.round(rateHz * seconds);
        byte[] data = new byte[frames * channels * 2];
        for (int i = 0; i < frames; i++) {
            short s = (short) (8_000 * Math.sin(2 * Math.PI * 440 * i / rateHz));
            for (int c = 0; c < channels; c++) {
                int at = (i * channels + c) * 2;
                data[at] = (byte) s;
                data[at + 1] = (byte) (s >> 8);
            }
        }
        return write(new AudioFormat(rateHz, 16, channels, true, false), data, frames, type);
    }

    /** As {@link #pcm} at 8 kHz mono WAV, converted to mu-law or A-law ({@code encoding}). */
    public static byte[] g711(AudioFormat.Encoding encoding, double seconds) {
        byte[] pcm = pcm(8_000, 1, seconds, AudioFileFormat.Type.WAVE);
        AudioFormat target = new AudioFormat(encoding, 8_000, 8, 1, 1, 8_000, false);
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(pcm));
             AudioInputStream g711 = AudioSystem.getAudioInputStream(target, in)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            AudioSystem.write(g711, AudioFileFormat.Type.WAVE, out);
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a " + encoding + " WAV file", e);
        }
    }

    private static byte[] write(AudioFormat format, byte[] data, int frames, AudioFileFormat.Type type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 64);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(data), format, frames)) {
            AudioSystem.write(in, type, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
