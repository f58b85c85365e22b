/**
 * The SIP trunk user-agent server (JAIN-SIP, jain-sip-ri). Knows nothing of the engine.
 *
 * <p>Public: {@link io.vmport.sip.SipTrunk} (start, stop, {@link io.vmport.sip.TrunkCounters counters}) built
 * from {@link io.vmport.sip.SipTrunkSettings}; {@link io.vmport.sip.SipTrunkListener}, which the engine
 * implements; {@link io.vmport.sip.SipCall}, the handle it answers, redirects, refuses or hangs up with, from
 * any thread. {@link io.vmport.sip.MwiNotifier} ({@link io.vmport.sip.SipTrunk#mwiNotifier}) sends unsolicited
 * MWI NOTIFYs from the trunk's UDP socket, as transactions of its own ({@code NotifyTransactions}, not the
 * stack's), told failures through {@link io.vmport.sip.MwiListener}; its rules (newest state per extension,
 * bounded backoff, pacing) are {@code MwiQueue}'s. Everything else is package-private.
 *
 * <pre>
 * datagram / TCP bytes
 *   -&gt; ArrivalGate            UDP, on the receiving thread, before the stack's queue and parser (RawInvite reads
 *                              the bytes): an answer to an MWI NOTIFY taken by NotifyTransactions; the ACK of a
 *                              stateless response dropped; a new INVITE while the trunk
 *                              is full by its counts, or a copy of one refused, answered 503 at once
 *   -&gt; StrictRequestParser    stack parser, strict for requests (RFC 3261 section 25): finds the RequestFault
 *                              (request line, duplicate or bad headers, missing Call-ID/From/To/CSeq), or drops
 *   -&gt; TrunkGate              before any transaction: 403 outsiders, 400/505 faults, 503 when full,
 *                              CANCEL matched in O(1), retransmitted INVITEs counted and let through
 *   -&gt; stack transactions     absorb retransmissions
 *   -&gt; TrunkDispatcher        by method: INVITE (100, SDP check, onInvite), ACK, BYE, CANCEL, OPTIONS, 405
 *   -&gt; SipCall                one CAS per state change; answer = dialog + 180 + 200 (SdpAnswerer)
 * </pre>
 *
 * Stack properties and why: {@code StackProperties}.
 */
package io.vmport.sip;
