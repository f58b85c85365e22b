package io.vmport.engine.media;

/**
 * What a media session reports. Called on the session's event loop, never concurrently for one session; must not
 * block (hand work to another thread). {@code nowNs} is {@link System#nanoTime()} read by the loop at the tick or
 * packet that caused the event.
 */
public interface MediaListener {
    /** A DTMF digit ({@code 0-9 * #}), once per RFC 4733 event however often its packets repeat (SPEC MD-4). */
    void onDigit(char digit, long nowNs);

    /** Everything given to {@link MediaSession#play} has been sent. */
    void onPlaybackDone(long nowNs);

    /** A recording ended; {@code pcm} is 8 kHz mono 16-bit, {@code durationMs} its length. */
    void onRecordingEnded(RecordingEnd reason, short[] pcm, int durationMs, long nowNs);

    /** No RTP came in for the media timeout (SPEC MD-5); reported once per session. */
    void onMediaTimeout(long nowNs);
}
