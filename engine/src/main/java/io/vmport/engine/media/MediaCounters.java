package io.vmport.engine.media;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The media plane's counters for {@code /metrics}; incremented on the event loops, read from any thread. */
public final class MediaCounters {
    final LongAdder sessionsOpen = new LongAdder();
    final LongAdder packetsIn = new LongAdder();
    final LongAdder packetsOut = new LongAdder();
    final LongAdder garbage = new LongAdder();
    final LongAdder wrongSource = new LongAdder();
    final LongAdder wrongPayloadType = new LongAdder();
    final LongAdder lateOrLost = new LongAdder();
    final LongAdder digits = new LongAdder();
    final LongAdder sendOverruns = new LongAdder();
    final LongAdder portBindFailures = new LongAdder();
    final LongAdder mediaTimeouts = new LongAdder();
    final LongAdder pacerRestarts = new LongAdder();

    /** Sessions open now. */
    public long sessionsOpen() {
        return sessionsOpen.sum();
    }

    /** UDP packets received on session ports, good or not. */
    public long packetsIn() {
        return packetsIn.sum();
    }

    /** RTP packets sent. */
    public long packetsOut() {
        return packetsOut.sum();
    }

    /** Received packets that are not RTP version 2 or are cut short. */
    public long garbage() {
        return garbage.sum();
    }

    /** Received packets from an address or port other than the session's remote (or before it had one). */
    public long wrongSource() {
        return wrongSource.sum();
    }

    /** RTP packets with a payload type other than the negotiated codec or DTMF type. */
    public long wrongPayloadType() {
        return wrongPayloadType.sum();
    }

    /** Audio frames of recordings that came too late, twice, or never (filled with silence). */
    public long lateOrLost() {
        return lateOrLost.sum();
    }

    /** DTMF digits reported. */
    public long digits() {
        return digits.sum();
    }

    /** Frames not sent because the previous one of the session still waited in a full socket buffer. */
    public long sendOverruns() {
        return sendOverruns.sum();
    }

    /** Ports skipped because something else had them bound. */
    public long portBindFailures() {
        return portBindFailures.sum();
    }

    /** Sessions that reported a media timeout. */
    public long mediaTimeouts() {
        return mediaTimeouts.sum();
    }

    /** Times a pacer fell more than 3 frames behind (stalled loop) and restarted its schedule. */
    public long pacerRestarts() {
        return pacerRestarts.sum();
    }

    /** All counters by metric-friendly name ({@code media_packets_in}...), in a stable order. */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("media_sessions_open", sessionsOpen());
        m.put("media_packets_in", packetsIn());
        m.put("media_packets_out", packetsOut());
        m.put("media_packets_garbage", garbage());
        m.put("media_packets_wrong_source", wrongSource());
        m.put("media_packets_wrong_payload_type", wrongPayloadType());
        m.put("media_frames_late_or_lost", lateOrLost());
        m.put("media_dtmf_digits", digits());
        m.put("media_send_overruns", sendOverruns());
        m.put("media_port_bind_failures", portBindFailures());
        m.put("media_timeouts", mediaTimeouts());
        m.put("media_pacer_restarts", pacerRestarts());
        return m;
    }
}
