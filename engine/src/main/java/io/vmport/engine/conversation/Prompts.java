package io.vmport.engine.conversation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The system prompts' audio, loaded once from the {@code /prompts/} resources as 16-bit linear samples at 8 kHz
 * ({@link #shared()}), and numbers and extensions said as lists of {@link Prompt}s ({@link #number},
 * {@link #digits}).
 */
public final class Prompts {
    private static final Prompt[] UNITS = {Prompt.N0, Prompt.N1, Prompt.N2, Prompt.N3, Prompt.N4, Prompt.N5,
        Prompt.N6, Prompt.N7, Prompt.N8, Prompt.N9, Prompt.N10, Prompt.N11, Prompt.N12, Prompt.N13, Prompt.N14,
        Prompt.N15, Prompt.N16, Prompt.N17, Prompt.N18, Prompt.N19};
    private static final Prompt[] TENS = {null, null, Prompt.N20, Prompt.N30, Prompt.N40, Prompt.N50, Prompt.N60,
        Prompt.N70, Prompt.N80, Prompt.N90};
    /** Said in words up to here; a larger count (never a mailbox's) digit by digit. */
    static final int MAX_WORDS = 999_999;

    private final Map<Prompt, short[]> samples;

    private Prompts(Map<Prompt, short[]> samples) {
        this.samples = samples;
    }

    /** Every prompt, loaded on first use; thread-safe. */
    public static Prompts shared() {
        return Loaded.PROMPTS;
    }

    /**
     * Loads every prompt from the class path.
     *
     * @throws IllegalStateException naming the prompt that is missing or not an 8 kHz mono WAV
     */
    static Prompts load() {
        Map<Prompt, short[]> loaded = new EnumMap<>(Prompt.class);
        for (Prompt p : Prompt.values()) {
            String resource = "/prompts/" + p.fileName();
            try (InputStream in = Prompts.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("prompt " + p + " is missing: no resource " + resource
                            + " (run engine/src/main/prompts/make-prompts.sh)");
                }
                loaded.put(p, Wav.decode(in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read prompt " + p + " from " + resource, e);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("prompt " + p + " (" + resource + ") is unusable: " + e.getMessage(), e);
            }
        }
        return new Prompts(loaded);
    }

    /** The prompt's samples: 16-bit linear, 8 kHz. Shared, so never changed by the caller. */
    public short[] samples(Prompt prompt) {
        return samples.get(prompt);
    }

    /** Loads on first use of {@link #shared()}: the JVM's class initialisation makes it once and thread-safe. */
    private static final class Loaded {
        static final Prompts PROMPTS = load();
    }

    /** {@code n} in words, e.g. 342: three hundred forty two; a number above {@value #MAX_WORDS} digit by digit. */
    public static List<Clip> number(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("cannot say a negative number: " + n);
        }
        List<Clip> clips = new ArrayList<>(6);
        if (n > MAX_WORDS) {
            return digits(Integer.toString(n));
        }
        if (n >= 1_000) {
            belowThousand(n / 1_000, clips);
            clips.add(Prompt.THOUSAND);
            n %= 1_000;
            if (n == 0) {
                return clips;
            }
        }
        belowThousand(n, clips);
        return clips;
    }

    /** An extension digit by digit, e.g. 1001: one zero zero one; a character that is not a digit is skipped. */
    public static List<Clip> digits(String extension) {
        List<Clip> clips = new ArrayList<>(extension.length());
        for (int i = 0; i < extension.length(); i++) {
            char c = extension.charAt(i);
            if (c >= '0' && c <= '9') {
                clips.add(UNITS[c - '0']);
            }
        }
        return clips;
    }

    private static void belowThousand(int n, List<Clip> clips) {
        if (n >= 100) {
            clips.add(UNITS[n / 100]);
            clips.add(Prompt.HUNDRED);
            n %= 100;
            if (n == 0) {
                return;
            }
        }
        if (n < 20) {
            clips.add(UNITS[n]);
        } else {
            clips.add(TENS[n / 10]);
            if (n % 10 != 0) {
                clips.add(UNITS[n % 10]);
            }
        }
    }
}
