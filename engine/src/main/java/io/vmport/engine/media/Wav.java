package io.vmport.engine.media;

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

/** WAV to and from the engine's audio, 8 kHz mono 16-bit linear PCM, with {@code javax.sound.sampled}. */
public final class Wav {
    /** The engine's audio format: 8 kHz, 16-bit signed little-endian, mono. */
    public static final AudioFormat PCM_8K = new AudioFormat(Codec.CLOCK_RATE_HZ, 16, 1, true, false);

    private Wav() {
    }

    /** A 16-bit PCM WAV file of {@code pcm8k}. */
    public static byte[] toWav(short[] pcm8k) {
        ByteBuffer bytes = ByteBuffer.allocate(pcm8k.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asShortBuffer().put(pcm8k);
        AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(bytes.array()), PCM_8K, pcm8k.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(44 + bytes.capacity());
        try {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, out);
        } catch (IOException e) {
            throw new IllegalStateException("writing WAV to memory failed", e);
        }
        return out.toByteArray();
    }

    /**
     * The audio of an 8 kHz mono WAV file: 16-bit PCM, or G.711 mu-law/A-law (the prompts' format), converted.
     *
     * @throws IllegalArgumentException when it is not WAV or not 8 kHz mono, naming its format
     */
    public static short[] fromWav(byte[] wav) {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            AudioFormat f = in.getFormat();
            if (f.getSampleRate() != Codec.CLOCK_RATE_HZ || f.getChannels() != 1) {
                throw new IllegalArgumentException("WAV format " + f + "; allowed: 8000 Hz mono (16-bit PCM, "
                        + "mu-law or A-law)");
            }
            AudioInputStream pcm = f.matches(PCM_8K) ? in : convert(in, f);
            byte[] bytes = pcm.readAllBytes();
            short[] out = new short[bytes.length / 2];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(out);
            return out;
        } catch (UnsupportedAudioFileException | IOException e) {
            throw new IllegalArgumentException("not a readable WAV file (" + wav.length + " bytes): " + e.getMessage(),
                    e);
        }
    }

    private static AudioInputStream convert(AudioInputStream in, AudioFormat from) {
        if (!AudioSystem.isConversionSupported(PCM_8K, from)) {
            throw new IllegalArgumentException("WAV format " + from + "; allowed: 8000 Hz mono 16-bit PCM, mu-law "
                    + "or A-law");
        }
        return AudioSystem.getAudioInputStream(PCM_8K, in);
    }
}
