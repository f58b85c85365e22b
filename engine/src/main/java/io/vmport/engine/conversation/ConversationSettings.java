package io.vmport.engine.conversation;

import io.vmport.config.ClusterSettings;

/**
 * The conversation's timings (SPEC MD-3, MD-4), validated on construction.
 *
 * @param maxMessageMs   a recording ends at this length
 * @param silenceMs      a recording ends after this much silence
 * @param minMessageMs   a shorter recording is discarded; 0 keeps every one
 * @param digitTimeoutMs how long the caller may pause while entering digits or choosing at a menu
 * @param tries          how often an extension may be entered, or a menu left unanswered, before goodbye
 */
public record ConversationSettings(long maxMessageMs, long silenceMs, long minMessageMs, long digitTimeoutMs,
        int tries) {
    /** Five seconds, as Asterisk's {@code app_voicemail} waits for a digit. */
    public static final long DEFAULT_DIGIT_TIMEOUT_MS = 5_000;
    /** MD-3: three tries at an extension, then goodbye. */
    public static final int DEFAULT_TRIES = 3;

    public ConversationSettings {
        positive("maxMessageMs", maxMessageMs);
        positive("silenceMs", silenceMs);
        positive("digitTimeoutMs", digitTimeoutMs);
        positive("tries", tries);
        if (minMessageMs < 0 || minMessageMs >= maxMessageMs) {
            throw new IllegalArgumentException("minMessageMs must be from 0 to below maxMessageMs=" + maxMessageMs
                    + ", was " + minMessageMs);
        }
    }

    /** The cluster's settings (MD-4) with the default digit timeout and tries. */
    public static ConversationSettings from(ClusterSettings cluster) {
        return new ConversationSettings(cluster.maxMessageSeconds() * 1_000, cluster.silenceSeconds() * 1_000,
                cluster.minMessageSeconds() * 1_000, DEFAULT_DIGIT_TIMEOUT_MS, DEFAULT_TRIES);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
