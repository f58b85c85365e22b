package io.vmport.engine.media;

import io.netty.buffer.ByteBuf;

/**
 * RFC 4733 telephone-events to digits, once per event. The payload of a {@code telephone-event} packet:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     event     |E|R|  volume   |          duration             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>All packets of one event carry the RTP timestamp of its start; the sender repeats them while the key is down
 * and sends the end packet (E) three times. A digit is therefore reported on the first packet of a timestamp newer
 * than the last reported one, whether begin, update or end (so an event whose begin packets were lost is still
 * reported on its first end packet), and every other packet of it is a repeat. Events 0-9, 10 ({@code *}) and 11
 * ({@code #}); other events (A-D, flash, tones) are not digits and are ignored.
 */
final class DtmfEvents {
    static final int PAYLOAD_BYTES = 4;
    private static final char[] DIGITS = "0123456789*#".toCharArray();

    private boolean reportedAny;
    private int lastTimestamp;

    /** The digit of the event payload at {@code index}, or 0 when it is a repeat or no digit. */
    char offer(int rtpTimestamp, ByteBuf buf, int index) {
        return offer(rtpTimestamp, buf.getUnsignedByte(index));
    }

    /** The digit of event {@code event} starting at {@code rtpTimestamp}, or 0 when a repeat or no digit. */
    char offer(int rtpTimestamp, int event) {
        if (event >= DIGITS.length) {
            return 0;
        }
        if (reportedAny && rtpTimestamp - lastTimestamp <= 0) {
            return 0;
        }
        reportedAny = true;
        lastTimestamp = rtpTimestamp;
        return DIGITS[event];
    }
}
