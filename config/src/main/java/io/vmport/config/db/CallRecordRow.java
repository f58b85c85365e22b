package io.vmport.config.db;

import io.vmport.config.Integration;
import io.vmport.config.ServerName;

/**
 * A call record (SPEC CA-6). Text that is longer than its column is clipped (a call record is never refused for
 * a long caller number); the key is ({@code callId}, {@code server}).
 *
 * @param callId        SIP Call-ID or SCCP call reference
 * @param server        the server that handled the call
 * @param port          the port that took it, or {@code null} when none did
 * @param integration   the integration the call came by
 * @param caller        calling number, or {@code null}
 * @param called        called number, or {@code null}
 * @param redirecting   redirecting number, or {@code null}
 * @param offeredAtMs   when the call was offered (epoch milliseconds)
 * @param answeredAtMs  when a port answered it, or {@code null}
 * @param endedAtMs     when it ended, or {@code null}
 * @param outcome       upper-case outcome, e.g. {@code ANSWERED}, {@code REDIRECTED}, {@code REFUSED}
 * @param cause         why it was refused or ended, or {@code null}
 */
public record CallRecordRow(String callId, ServerName server, String port, Integration integration, String caller,
                            String called, String redirecting, long offeredAtMs, Long answeredAtMs, Long endedAtMs,
                            String outcome, String cause) {

    public static final int CALL_ID_MAX_CHARS = 255;
    public static final int PORT_MAX_CHARS = 64;
    public static final int NUMBER_MAX_CHARS = 128;
    public static final int OUTCOME_MAX_CHARS = 32;
    public static final int CAUSE_MAX_CHARS = 255;

    public CallRecordRow {
        if (callId == null || callId.isEmpty()) {
            throw new IllegalArgumentException("call record: callId must not be empty");
        }
        if (server == null || integration == null) {
            throw new IllegalArgumentException("call record " + callId + ": server and integration must not be null");
        }
        if (outcome == null || outcome.isBlank() || outcome.length() > OUTCOME_MAX_CHARS) {
            throw new IllegalArgumentException("call record " + callId + ": outcome must be 1 to " + OUTCOME_MAX_CHARS
                    + " characters, was " + outcome);
        }
        callId = Columns.clip(callId, CALL_ID_MAX_CHARS);
        port = Columns.clip(port, PORT_MAX_CHARS);
        caller = Columns.clip(caller, NUMBER_MAX_CHARS);
        called = Columns.clip(called, NUMBER_MAX_CHARS);
        redirecting = Columns.clip(redirecting, NUMBER_MAX_CHARS);
        cause = Columns.clip(cause, CAUSE_MAX_CHARS);
    }
}
