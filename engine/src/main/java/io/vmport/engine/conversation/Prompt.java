package io.vmport.engine.conversation;

/**
 * The system prompts. Each is the resource {@code /prompts/<fileName()>}, an 8 kHz mono WAV made from the text in
 * {@code engine/src/main/prompts/prompts.txt} by {@code make-prompts.sh}. Numbers are said from {@code N0}..
 * {@code N90}, {@link #HUNDRED} and {@link #THOUSAND} ({@link Prompts#number}); extensions digit by digit
 * ({@link Prompts#digits}).
 */
public enum Prompt implements Clip {
    ENTER_EXTENSION, EXTENSION, IS_UNKNOWN,
    PERSON_AT_EXTENSION, IS_NOT_AVAILABLE, BEEP, MESSAGE_RECORDED, GOODBYE,
    YOU_HAVE, NEW_AND, SAVED_MESSAGES, MESSAGE, MESSAGE_MENU, MESSAGE_DELETED, MESSAGE_SAVED, NO_MORE_MESSAGES,
    N0, N1, N2, N3, N4, N5, N6, N7, N8, N9, N10, N11, N12, N13, N14, N15, N16, N17, N18, N19,
    N20, N30, N40, N50, N60, N70, N80, N90, HUNDRED, THOUSAND;

    private final String fileName = name().toLowerCase(java.util.Locale.ROOT) + ".wav";

    /** The resource's file name under {@code /prompts/}, e.g. {@code n7.wav}. */
    public String fileName() {
        return fileName;
    }
}
