package io.vmport.engine.messages;

import io.vmport.engine.conversation.Wav;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * An uploaded mailbox greeting (SPEC MS-3) checked and made into what the store keeps: 8 kHz mono 16-bit PCM WAV
 * ({@link Wav}). Accepts 8 kHz mono WAV in 16-bit PCM, mu-law or A-law, at most {@link #MAX_SECONDS} s; refuses
 * anything else with the reason, naming what it found.
 *
 * <p>Why {@value #MAX_SECONDS} s: a greeting is typically 10 to 30 s, and a caller waits through all of it before
 * the beep; two minutes leaves room for long announcements while keeping the stored file at most 1.92 MB (16-bit
 * PCM), well inside the column (MEDIUMBLOB, 16 MiB), MariaDB's default 16 MiB packet and the admin API's body limit.
 */
public final class Greetings {
    /** The longest greeting accepted. */
    public static final int MAX_SECONDS = 120;

    private Greetings() {
    }

    /**
     * The greeting as the store keeps it.
     *
     * @throws IllegalArgumentException with the reason: not WAV, not 8000 Hz (the rate found), not mono (the
     *                                  channels found), not 16-bit PCM/mu-law/A-law, empty, or longer than
     *                                  {@value #MAX_SECONDS} s (its length)
     */
    public static byte[] normalize(byte[] wav) {
        AudioFileFormat file;
        try {
            file = AudioSystem.getAudioFileFormat(new ByteArrayInputStream(wav));
        } catch (UnsupportedAudioFileException | IOException e) {
            throw new IllegalArgumentException("the greeting is not a WAV file (" + wav.length + " bytes)");
        }
        if (file.getType() != AudioFileFormat.Type.WAVE) {
            throw new IllegalArgumentException("the greeting is a " + file.getType() + " file, not WAV");
        }
        AudioFormat f = file.getFormat();
        if (f.getSampleRate() != Wav.SAMPLE_RATE) {
            throw new IllegalArgumentException("the greeting is sampled at " + Math.round(f.getSampleRate())
                    + " Hz; it must be " + Wav.SAMPLE_RATE + " Hz");
        }
        if (f.getChannels() != 1) {
            throw new IllegalArgumentException("the greeting has " + f.getChannels() + " channels; it must be mono"
                    + " (1 channel)");
        }
        short[] samples = Wav.decode(wav);  // refuses an encoding other than 16-bit PCM, mu-law, A-law
        if (samples.length == 0) {
            throw new IllegalArgumentException("the greeting has no audio");
        }
        if (samples.length > (long) MAX_SECONDS * Wav.SAMPLE_RATE) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "the greeting is %.1f s long; the limit is %d s", samples.length / (double) Wav.SAMPLE_RATE,
                    MAX_SECONDS));
        }
        return Wav.encode(samples, samples.length);
    }
}
