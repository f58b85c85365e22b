package io.vmport.engine.pipeline;

import io.vmport.engine.calls.CallReason;

import io.vmport.config.ServerName;

import java.util.Arrays;

/**
 * An immutable copy of up to {@link #SIZE} consecutive ports, the unit that snapshots share: a new
 * {@link MonitorSnapshot} copies only the pages that changed and reuses the others, so publishing costs the
 * ports that changed, not all 100,000.
 */
final class PortPage {
    static final int SHIFT = 8;
    static final int SIZE = 1 << SHIFT;
    static final int MASK = SIZE - 1;

    final byte[] state;
    final ServerName[] server;
    final String[] callId;
    final String[] caller;
    final String[] called;
    final String[] redirecting;
    final CallReason[] reason;
    final long[] sinceNs;
    final String[] conversation;
    final String[] mailbox;

    /** Copies ports {@code [from, from + length)} of the monitor's working arrays. */
    PortPage(int from, int length, byte[] state, ServerName[] server, String[] callId, String[] caller,
             String[] called, String[] redirecting, CallReason[] reason, long[] sinceNs, String[] conversation,
             String[] mailbox) {
        int to = from + length;
        this.state = Arrays.copyOfRange(state, from, to);
        this.server = Arrays.copyOfRange(server, from, to);
        this.callId = Arrays.copyOfRange(callId, from, to);
        this.caller = Arrays.copyOfRange(caller, from, to);
        this.called = Arrays.copyOfRange(called, from, to);
        this.redirecting = Arrays.copyOfRange(redirecting, from, to);
        this.reason = Arrays.copyOfRange(reason, from, to);
        this.sinceNs = Arrays.copyOfRange(sinceNs, from, to);
        this.conversation = Arrays.copyOfRange(conversation, from, to);
        this.mailbox = Arrays.copyOfRange(mailbox, from, to);
    }
}
