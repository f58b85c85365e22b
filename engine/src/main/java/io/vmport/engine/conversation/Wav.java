package io.vmport.engine.conversation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * The audio format of prompts, greetings and messages (SPEC MS-1): 8 kHz mono WAV. Reads 16-bit linear PCM,
 * mu-law or A-law files into 16-bit linear samples and writes 16-bit linear PCM files, with the JDK's
 * {@code javax.sound.sampled}.
 */
public final class Wav {
    /** Samples a second. */
    public static final int SAMPLE_RATE = 8_000;
    /** 16-bit signed little-endian linear PCM, 8 kHz, mono: what {@link #encode} writes. */
    public static final AudioFormat LINEAR = new AudioFormat(SAMPLE_RATE, 16, 1, true, false);

    private Wav() {
    }

    /**
     * The samples of an 8 kHz mono WAV file.
     *
     * @throws IllegalArgumentException when it is not a WAV file, or not 8 kHz mono 16-bit PCM, mu-law or A-law
     */
    public static short[] decode(byte[] wav) {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            AudioFormat f = in.getFormat();
            if (f.getSampleRate() != SAMPLE_RATE || f.getChannels() != 1) {
                throw new IllegalArgumentException("not 8 kHz mono: " + f
                        + "; allowed: 8000 Hz mono 16-bit PCM, mu-law or A-law");
            }
            boolean linear16 = f.getEncoding() == AudioFormat.Encoding.PCM_SIGNED && f.getSampleSizeInBits() == 16;
            boolean g711 = f.getEncoding() == AudioFormat.Encoding.ULAW || f.getEncoding() == AudioFormat.Encoding.ALAW;
            if (!linear16 && !g711) {
                throw new IllegalArgumentException("not 16-bit PCM, mu-law or A-law: " + f);
            }
            try (AudioInputStream pcm = linear16 && !f.isBigEndian() ? in : AudioSystem.getAudioInputStream(LINEAR, in)) {
                byte[] bytes = pcm.readAllBytes();
                short[] samples = new short[bytes.length / 2];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
                return samples;
            }
        } catch (UnsupportedAudioFileException e) {
            throw new IllegalArgumentException("not a WAV file (" + wav.length + " bytes): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the WAV file (" + wav.length + " bytes): " + e.getMessage(), e);
        }
    }

    /** An 8 kHz mono 16-bit PCM WAV file of the first {@code count} samples. */
    public static byte[] encode(short[] samples, int count) {
        ByteBuffer bytes = ByteBuffer.allocate(count * 2).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asShortBuffer().put(samples, 0, count);
        ByteArrayOutputStream out = new ByteArrayOutputStream(count * 2 + 44);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(bytes.array()), LINEAR, count)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a WAV file in memory", e);
        }
        return out.toByteArray();
    }

    /** The length in milliseconds of {@code sampleCount} samples. */
    public static long durationMs(long sampleCount) {
        return sampleCount * 1_000 / SAMPLE_RATE;
    }
}
