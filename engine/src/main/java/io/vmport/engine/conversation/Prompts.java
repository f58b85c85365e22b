package io.vmport.engine.conversation;

import java.util.ArrayList;
import java.util.List;

/** Says numbers and extensions as lists of {@link Prompt}s. */
public final class Prompts {
    private static final Prompt[] UNITS = {Prompt.N0, Prompt.N1, Prompt.N2, Prompt.N3, Prompt.N4, Prompt.N5,
        Prompt.N6, Prompt.N7, Prompt.N8, Prompt.N9, Prompt.N10, Prompt.N11, Prompt.N12, Prompt.N13, Prompt.N14,
        Prompt.N15, Prompt.N16, Prompt.N17, Prompt.N18, Prompt.N19};
    private static final Prompt[] TENS = {null, null, Prompt.N20, Prompt.N30, Prompt.N40, Prompt.N50, Prompt.N60,
        Prompt.N70, Prompt.N80, Prompt.N90};
    /** Said in words up to here; a larger count (never a mailbox's) digit by digit. */
    static final int MAX_WORDS = 999_999;

    private Prompts() {
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
