package io.vmport.sip;

import java.util.Properties;

/**
 * The JAIN-SIP (jain-sip-ri 1.3.0-91) properties of a trunk's stack, chosen for throughput and bounded memory.
 * Every name below was checked against {@code gov.nist.javax.sip.SipStackImpl} of that version; each line says
 * why it has its value. The order is the order of importance measured for a bare UAS on two cores.
 */
final class StackProperties {

    /** Largest message accepted, and the size of the buffer allocated per received datagram. */
    static final int MAX_MESSAGE_BYTES = 8 * 1024;
    /** Datagrams that waited longer than this in the stack's (unbounded) receive queue are dropped. */
    static final int CONGESTION_TIMEOUT_MS = 2_000;
    /** Idle TCP connections from the PBX are closed after this; the PBX reconnects when it needs to. */
    static final long TCP_IDLE_MS = 10 * 60 * 1000L;

    private StackProperties() {
    }

    static Properties of(SipTrunkSettings s) {
        Properties p = new Properties();
        // Unique per trunk: two nodes of the demo run two stacks in one JVM.
        p.setProperty("javax.sip.STACK_NAME", "vmport-sip-" + s.host() + "-" + s.port());

        // Without it the stack accepts messages of any size and allocates a 64 KiB buffer for every datagram it
        // receives; 8 KiB is ample for trunk INVITEs with SDP and cuts the garbage per message eightfold.
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", Integer.toString(MAX_MESSAGE_BYTES));

        // Re-entrant listener: the pool threads that parse datagrams also run the listener, so no event-queue
        // hand-off and no single dispatcher thread. A small pool, because two cores are shared with the engine.
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", Integer.toString(s.threadPoolSize()));

        // Finished transactions and dialogs drop their parsed messages at once, so the tens of thousands that
        // linger after a burst stay small. "Normal" keeps each request as bytes, re-parsed only if asked for;
        // "Aggressive" (bytes dropped too) passed every test but showed no measurable gain on a shared two-core
        // machine, and Normal keeps Transaction.getRequest() safe for the stack's own late uses.
        p.setProperty("gov.nist.javax.sip.AGGRESSIVE_CLEANUP", "true");
        p.setProperty("gov.nist.javax.sip.RELEASE_REFERENCES_STRATEGY", "Normal");

        // Seconds a terminated transaction or dialog stays in the tables before it is removed (default 8):
        // short, so the tables do not carry several seconds of calls at full rate.
        p.setProperty("gov.nist.javax.sip.LINGER_TIMER", Integer.toString(s.lingerSeconds()));

        // Room for every transaction alive at full rate (a UDP BYE transaction lives 32 s by RFC 3261 Timer J).
        // Past 80% of it the stack starts dropping requests at random; the trunk refuses new INVITEs with 503
        // at 70% so that BYEs of calls in progress are never the ones dropped.
        p.setProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", Integer.toString(s.maxServerTransactions()));

        // The stack's timer stays its default java.util.Timer. A timing wheel (Netty's HashedWheelTimer, O(1)
        // cancel, where the Timer keeps cancelled tasks in its heap: a fifth of the profile at 3,000 calls/s) was
        // tried and taken out: with it, a BYE after a CANCEL/200 race got 481 in about one run in three of the
        // SIPp CANCEL test (0 in 8 with the default). Cause not found; do not plug in another timer without it.

        // Socket buffers big enough to ride out a burst of datagrams while the pool threads are busy.
        p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", Integer.toString(s.udpBufferBytes()));
        p.setProperty("gov.nist.javax.sip.SEND_UDP_BUFFER_SIZE", Integer.toString(s.udpBufferBytes()));

        // A UAS that refuses most calls under load must not build a dialog for each: dialogs are created by
        // the trunk only when it answers (SipProvider.getNewDialog); refusals and redirects stay dialog-free.
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");

        // Responses and in-dialog requests over TCP go back on the PBX's own connection, kept open.
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.CACHE_SERVER_CONNECTIONS", "true");
        // NIO TCP: a fixed number of threads whatever the number of connections (the default opens a thread
        // per connection); idle connections are closed.
        p.setProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", "gov.nist.javax.sip.stack.NioMessageProcessorFactory");
        p.setProperty("gov.nist.javax.sip.NIO_MAX_SOCKET_IDLE_TIME", Long.toString(TCP_IDLE_MS));

        // The stack's receive queue has no bound; a datagram older than this has been retransmitted by the PBX
        // already, so dropping it bounds the queue under overload without losing anything.
        p.setProperty("gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT", Integer.toString(CONGESTION_TIMEOUT_MS));

        // Stack logging off: its debug and message logging format every message on the call path. The trunk
        // logs what matters itself, through SLF4J.
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "OFF");
        // What the stack still logs (start-up notices) goes to one SLF4J logger, not one named after each stack.
        p.setProperty("gov.nist.javax.sip.LOG4J_LOGGER_NAME", "gov.nist.javax.sip");
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        return p;
    }
}
