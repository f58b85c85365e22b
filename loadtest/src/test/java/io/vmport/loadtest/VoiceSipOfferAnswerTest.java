package io.vmport.loadtest;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import io.vmport.config.db.MailboxRow;
import io.vmport.config.db.MessageRow;
import io.vmport.config.testing.Poll;
import io.vmport.engine.conversation.Wav;
import io.vmport.engine.media.Codec;
import io.vmport.engine.media.MediaCounters;
import io.vmport.engine.pipeline.PortSnapshot;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a PBX engineer expects of vmport's SDP (SPEC MD-1, RFC 3264), each call forwarded from 1001 and leaving a
 * message (MS-1): an INVITE without SDP gets vmport's offer in the 200 OK and its media from the answer in the ACK;
 * a re-INVITE holds the call ({@code a=sendonly}, then {@code c=0.0.0.0}: vmport stops sending, the call stays) and
 * resumes it on a new RTP address (vmport sends there and records what comes from there); G.711 offered with a
 * dynamic payload type through rtpmap ({@code PCMU/8000} on 96) is sent and received as 96. The SIP is written by
 * hand ({@link RawSipPhone}): SIPp cannot move its RTP to a new address mid-call.
 */
class VoiceSipOfferAnswerTest {
    private static final String MAILBOX = "1001";
    /** How long each caller speaks once recorded, then hangs up. */
    private static final long MESSAGE_MS = 2_000;
    private static final Pattern AUDIO_LINE = Pattern.compile("(?m)^m=audio (\\d+) RTP/AVP ([0-9 ]+)\\r?$");

    private SippCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = SippCluster.start(Integration.SIP_TRUNK, 4);
        cluster.database.mailboxes().create(MailboxRow.of(MAILBOX, "Mailbox " + MAILBOX), System.currentTimeMillis());
        // a 0.4 s greeting of its own keeps each call short (MD-3: the mailbox's uploaded recording, then the beep)
        short[] greeting = new short[3_200];
        for (int i = 0; i < greeting.length; i++) {
            greeting[i] = (short) (6_000 * Math.sin(2 * Math.PI * 300 * i / Codec.CLOCK_RATE_HZ));
        }
        assertTrue(cluster.database.mailboxes().setGreeting(MAILBOX, Wav.encode(greeting, greeting.length)));
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** MD-1: no SDP in the INVITE: the 200 offers PCMU, PCMA and telephone-event; the ACK's answer (PCMA) is used. */
    @Test
    void md1_inviteWithoutSdpOffersInThe200AndTakesTheAnswerInTheAck() throws Exception {
        try (RawSipPhone phone = phone("4101"); RtpPeer caller = new RtpPeer()) {
            String ok = phone.invite(MAILBOX, null);
            Matcher offer = audioLine(ok);
            assertEquals("0 8 101", offer.group(2).trim(), "vmport's offer: " + ok);
            phone.ack(RawSipPhone.sdp("127.0.0.1", caller.port(), "8 101", "rtpmap:8 PCMA/8000",
                    "rtpmap:101 telephone-event/8000", "fmtp:101 0-15"));

            Poll.await("vmport sends PCMA where the ACK's answer said", 5_000,
                    () -> caller.packetsIn() >= 25, () -> caller.packetsIn() + " packets " + caller.payloadTypesIn());
            assertEquals(Set.of(8), caller.payloadTypesIn(), "PCMA, as answered");
            caller.send(vmport(offer), 8, tone(Codec.PCMA));
            leaveMessageAndHangUp(phone);
        }
        assertOneMessageFrom("4101");
    }

    /**
     * MD-1, MD-5: a re-INVITE with {@code a=sendonly} holds the call: vmport answers recvonly and stops sending; one
     * with {@code c=0.0.0.0} too; the call stays up through a hold longer than nothing but the media timeout would
     * allow. A re-INVITE to a new RTP address resumes it: vmport sends there and records the caller from there.
     */
    @Test
    void md1_reInviteHoldsAndResumesTheCallOnANewAddress() throws Exception {
        try (RawSipPhone phone = phone("4201"); RtpPeer before = new RtpPeer(); RtpPeer after = new RtpPeer()) {
            String ok = phone.invite(MAILBOX, RawSipPhone.sdp("127.0.0.1", before.port(), "0 101",
                    "rtpmap:0 PCMU/8000", "rtpmap:101 telephone-event/8000", "sendrecv"));
            InetSocketAddress vmport = vmport(audioLine(ok));
            phone.ack(null);
            Poll.await("vmport sends to the first address", 5_000, () -> before.packetsIn() >= 25,
                    () -> before.packetsIn() + " packets");

            String held = phone.reInvite(RawSipPhone.sdp("127.0.0.1", before.port(), "0 101", "rtpmap:0 PCMU/8000",
                    "rtpmap:101 telephone-event/8000", "sendonly"));
            phone.ack(null);
            assertTrue(held.startsWith("SIP/2.0 200") && RawSipPhone.body(held).contains("a=recvonly"), held);
            awaitSilenceFromVmport(before, "a=sendonly hold");
            String oldStyle = phone.reInvite(RawSipPhone.sdp("0.0.0.0", before.port(), "0 101", "rtpmap:0 PCMU/8000",
                    "rtpmap:101 telephone-event/8000", "sendrecv"));
            phone.ack(null);
            assertTrue(oldStyle.startsWith("SIP/2.0 200"), oldStyle);
            awaitSilenceFromVmport(before, "c=0.0.0.0 hold");
            assertTrue(callUp(), "the call stays up on hold");

            long wrongSourceBefore = counters().wrongSource();
            String resumed = phone.reInvite(RawSipPhone.sdp("127.0.0.1", after.port(), "0 101", "rtpmap:0 PCMU/8000",
                    "rtpmap:101 telephone-event/8000", "sendrecv"));
            phone.ack(null);
            assertTrue(resumed.startsWith("SIP/2.0 200") && RawSipPhone.body(resumed).contains("a=sendrecv"), resumed);
            Poll.await("vmport sends to the new address", 5_000, () -> after.packetsIn() >= 25,
                    () -> after.packetsIn() + " packets");
            after.send(vmport, 0, tone(Codec.PCMU));
            leaveMessageAndHangUp(phone);
            assertEquals(wrongSourceBefore, counters().wrongSource(), "the new address's RTP is the caller's");
        }
        assertOneMessageFrom("4201");
    }

    /**
     * MD-1: a re-INVITE without SDP (a PBX asking for vmport's offer, e.g. after a transfer) gets the offer in the
     * 200; the ACK's answer moves the media to a new address: vmport sends and records there.
     */
    @Test
    void md1_reInviteWithoutSdpTakesTheAnswerInItsAck() throws Exception {
        try (RawSipPhone phone = phone("4401"); RtpPeer before = new RtpPeer(); RtpPeer after = new RtpPeer()) {
            String ok = phone.invite(MAILBOX, RawSipPhone.sdp("127.0.0.1", before.port(), "8 101",
                    "rtpmap:8 PCMA/8000", "rtpmap:101 telephone-event/8000"));
            InetSocketAddress vmport = vmport(audioLine(ok));
            phone.ack(null);
            Poll.await("vmport sends to the first address", 5_000, () -> before.packetsIn() >= 10,
                    () -> before.packetsIn() + " packets");

            Matcher offer = audioLine(phone.reInvite(null));
            assertEquals(vmport.getPort(), Integer.parseInt(offer.group(1)), "the same RTP port offered");
            phone.ack(RawSipPhone.sdp("127.0.0.1", after.port(), "8 101", "rtpmap:8 PCMA/8000",
                    "rtpmap:101 telephone-event/8000"));
            Poll.await("vmport sends to the answer's address", 5_000, () -> after.packetsIn() >= 25,
                    () -> after.packetsIn() + " packets");
            assertEquals(Set.of(8), after.payloadTypesIn());
            after.send(vmport, 8, tone(Codec.PCMA));
            leaveMessageAndHangUp(phone);
        }
        assertOneMessageFrom("4401");
    }

    /** MD-1: PCMU offered as dynamic payload type 96 (rtpmap): answered 96, sent as 96, 96 recorded. */
    @Test
    void md1_g711OnADynamicPayloadTypeIsSentAndRecorded() throws Exception {
        try (RawSipPhone phone = phone("4301"); RtpPeer caller = new RtpPeer()) {
            String ok = phone.invite(MAILBOX, RawSipPhone.sdp("127.0.0.1", caller.port(), "96 101",
                    "rtpmap:96 PCMU/8000", "rtpmap:101 telephone-event/8000", "fmtp:101 0-15"));
            Matcher answer = audioLine(ok);
            assertEquals("96 101", answer.group(2).trim(), ok);
            assertTrue(RawSipPhone.body(ok).contains("a=rtpmap:96 PCMU/8000"), ok);
            phone.ack(null);

            Poll.await("vmport sends", 5_000, () -> caller.packetsIn() >= 25, () -> caller.packetsIn() + " packets");
            assertEquals(Set.of(96), caller.payloadTypesIn(), "the payload type the offer gave PCMU");
            caller.send(vmport(answer), 96, tone(Codec.PCMU));
            leaveMessageAndHangUp(phone);
            assertEquals(0, counters().wrongPayloadType(), "96 is the call's audio");
        }
        assertOneMessageFrom("4301");
    }

    private RawSipPhone phone(String caller) throws Exception {
        return new RawSipPhone(new InetSocketAddress(SippCluster.HOST, cluster.sipPort(ServerName.PUBLISHER)), caller);
    }

    /** Waits until the publisher records 1001's caller, lets the caller speak, hangs up. */
    private void leaveMessageAndHangUp(RawSipPhone phone) throws Exception {
        Poll.await("the caller is recorded", 15_000, this::recording,
                () -> cluster.publisher.monitorSnapshot().toString());
        Thread.sleep(MESSAGE_MS); // the caller speaks: the message's length, not a wait for a state
        String bye = phone.bye();
        assertTrue(bye.startsWith("SIP/2.0 200"), bye + " " + phone.received());
    }

    private boolean recording() {
        for (PortSnapshot p : cluster.publisher.monitorSnapshot().ports()) {
            if ("RECORDING".equals(p.conversation()) && MAILBOX.equals(p.mailbox())) {
                return true;
            }
        }
        return false;
    }

    private boolean callUp() {
        for (int i = 0; i < cluster.publisher.portPlan().size(); i++) {
            if (cluster.publisher.voice().call(i) != null) {
                return true;
            }
        }
        return false;
    }

    /** No packet from vmport for 300 ms, within 3 s; the session still open. */
    private void awaitSilenceFromVmport(RtpPeer peer, String why) {
        Poll.await("vmport stops sending on " + why, 3_000,
                () -> System.nanoTime() - peer.lastInNs() > TimeUnit.MILLISECONDS.toNanos(300),
                () -> peer.packetsIn() + " packets");
        assertEquals(1, counters().sessionsOpen(), "the call keeps its session on " + why);
    }

    private MediaCounters counters() {
        return cluster.publisher.voice().counters();
    }

    private void assertOneMessageFrom(String caller) {
        Poll.await("the message of " + caller + " in mailbox " + MAILBOX, 10_000, () -> !messages().isEmpty(),
                () -> messages().toString());
        List<MessageRow> stored = messages();
        assertAll(stored.toString(),
                () -> assertEquals(1, stored.size(), "MS-1: one message"),
                () -> assertEquals(caller, stored.get(0).caller()),
                () -> assertEquals(MESSAGE_MS, stored.get(0).durationMs(), 700, "what the caller said"));
        cluster.awaitAllIdle(10_000);
    }

    private List<MessageRow> messages() {
        return cluster.database.messages().forMailbox(MAILBOX);
    }

    private static Matcher audioLine(String response) {
        assertTrue(response.startsWith("SIP/2.0 200"), response);
        Matcher m = AUDIO_LINE.matcher(RawSipPhone.body(response));
        assertTrue(m.find(), "no m=audio line in " + response);
        return m;
    }

    private static InetSocketAddress vmport(Matcher audioLine) {
        return new InetSocketAddress(SippCluster.HOST, Integer.parseInt(audioLine.group(1)));
    }

    /** One second of a 440 Hz tone at a quarter of full scale, in {@code codec}. */
    private static byte[] tone(Codec codec) {
        byte[] g711 = new byte[Codec.CLOCK_RATE_HZ];
        for (int i = 0; i < g711.length; i++) {
            g711[i] = codec.encode((short) (8_000 * Math.sin(2 * Math.PI * 440 * i / Codec.CLOCK_RATE_HZ)));
        }
        return g711;
    }
}
