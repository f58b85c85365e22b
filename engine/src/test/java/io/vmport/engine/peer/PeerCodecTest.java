package io.vmport.engine.peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vmport.engine.cluster.AdminAction;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.peer.PeerTestKit.RecordingListener;
import io.vmport.engine.peer.PeerTestKit.SteppedClock;
import io.vmport.engine.peer.PeerTestKit.TestSource;
import io.vmport.engine.ports.PortState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static io.vmport.config.ServerName.PUBLISHER;
import static io.vmport.config.ServerName.SUBSCRIBER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wire format (ST-11 heartbeats) with Netty's EmbeddedChannel: round trips, framing, malformed frames. */
class PeerCodecTest {

    // ------------------------------------------------------------------ round trips

    private static EmbeddedChannel codec() {
        return new EmbeddedChannel(new PeerFrameDecoder(), PeerFrameEncoder.INSTANCE);
    }

    private static PeerMessage roundTrip(PeerMessage m) {
        EmbeddedChannel ch = codec();
        assertTrue(ch.writeOutbound(m));
        ByteBuf frame = ch.readOutbound();
        assertEquals(frame.readableBytes() - 4, frame.getInt(frame.readerIndex()), "length counts type + payload");
        assertTrue(ch.writeInbound(frame));
        PeerMessage back = ch.readInbound();
        assertNull(ch.readInbound());
        assertFalse(ch.finish());
        return back;
    }

    private static ByteBuf encode(PeerMessage... messages) {
        ByteBuf buf = Unpooled.buffer();
        for (PeerMessage m : messages) {
            PeerFrameEncoder.write(m, buf);
        }
        return buf;
    }

    private static HeartbeatContent content(List<PortDelta> deltas) {
        return new HeartbeatContent(ServerStatus.SECONDARY, 42, PUBLISHER, false, 3, ServerStatus.PRIMARY, deltas);
    }

    @Test
    void hello_roundTrips() {
        PeerHello hello = new PeerHello(PeerWire.PROTOCOL_VERSION, SUBSCRIBER, -7L, 12, 3_000);
        assertEquals(hello, roundTrip(hello));
    }

    @Test
    void st11_heartbeat_roundTripsStatusEpochTakingCallsAndDeltas() {
        PeerHeartbeat hb = new PeerHeartbeat(Long.MAX_VALUE, PUBLISHER, content(List.of(
                PeerTestKit.delta(0, PortState.IN_CALL, "a@b"), PortDelta.ended(Integer.MAX_VALUE))));
        assertEquals(hb, roundTrip(hb));
    }

    @Test
    void st11_heartbeat_portSnapshotMarkAndEveryDeltaField_roundTrip() {
        PortDelta full = new PortDelta(3, PortState.RINGING, "c\u00e9ll-1", "+33 1 23", "2000", "2001",
                io.vmport.engine.calls.CallReason.FORWARDED_NO_ANSWER, PeerWire.MAX_AGE_MS);
        PortDelta bare = new PortDelta(4, PortState.IN_CALL, null, null, null, null, null, 0);
        HeartbeatContent c = new HeartbeatContent(ServerStatus.PRIMARY, 5, PUBLISHER, true, 2, null, true,
                List.of(full, bare));
        PeerHeartbeat hb = new PeerHeartbeat(8, PUBLISHER, c);
        PeerHeartbeat back = (PeerHeartbeat) roundTrip(hb);
        assertEquals(hb, back);
        assertTrue(back.content().portSnapshot());
    }

    @Test
    void st12_heartbeat_mergeDoneFlag_roundTripsAsBit0x04() {
        HeartbeatContent c = new HeartbeatContent(ServerStatus.SPLIT_BRAIN_RECOVERY, 7, null, true, 0,
                ServerStatus.SPLIT_BRAIN_RECOVERY, false, true, List.of());
        PeerHeartbeat hb = new PeerHeartbeat(3, SUBSCRIBER, c);
        PeerHeartbeat back = (PeerHeartbeat) roundTrip(hb);
        assertEquals(hb, back);
        assertTrue(back.content().mergeDone());
        assertFalse(back.content().portSnapshot());
        ByteBuf frame = encode(hb);
        int flagsAt = 4 + 1 + 8 + 1 + 1 + 8 + 1; // length, type, sequence, sender, status, epoch, primaryHolder
        assertEquals(PeerWire.FLAG_TAKING_CALLS | 0x04, frame.getUnsignedByte(flagsAt));
        assertFalse(((PeerHeartbeat) roundTrip(new PeerHeartbeat(4, SUBSCRIBER, content(List.of())))).content()
                .mergeDone(), "not set unless said");
    }

    @Test
    void st12_heartbeat_unknownFlagBits_areIgnored_soAnOlderPeerReadsANewerOnesHeartbeat() {
        PeerHeartbeat hb = new PeerHeartbeat(5, PUBLISHER, content(List.of()));
        ByteBuf frame = encode(hb);
        int flagsAt = 4 + 1 + 8 + 1 + 1 + 8 + 1;
        frame.setByte(flagsAt, frame.getUnsignedByte(flagsAt) | 0xF8);
        EmbeddedChannel ch = codec();
        assertTrue(ch.writeInbound(frame));
        assertEquals(hb, ch.readInbound());
        assertFalse(ch.finish());
    }

    @Test
    void st11_deltaTexts_areCutTo255Utf8BytesWithoutSplittingACharacter() {
        String longId = "\u00e9".repeat(200); // 400 bytes
        PortDelta d = new PortDelta(1, PortState.IN_CALL, longId, "", null, null, null, 0);
        assertEquals(127, d.callId().length(), "127 two-byte chars = 254 bytes <= 255");
        assertEquals(null, d.caller(), "an empty text travels as none");
        PeerHeartbeat hb = new PeerHeartbeat(1, PUBLISHER, content(List.of(d)));
        assertEquals(hb, roundTrip(hb));
    }

    @Test
    void st11_deltasPastTheByteBudget_areRefusedWhenBuilt() {
        List<PortDelta> deltas = new ArrayList<>();
        String id = "x".repeat(255);
        for (int i = 0; i < 300; i++) { // 300 x 779 bytes > 61440
            deltas.add(new PortDelta(i, PortState.IN_CALL, id, id, id, null, null, 0));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> content(deltas));
        assertTrue(e.getMessage().contains("bytes per heartbeat"), e.getMessage());
    }

    @Test
    void st11_heartbeat_withoutPrimaryOrReceiverView_roundTripsTheNones() {
        HeartbeatContent c = new HeartbeatContent(ServerStatus.STARTING, 0, null, true, 0, null, List.of());
        PeerHeartbeat hb = new PeerHeartbeat(1, SUBSCRIBER, c);
        assertEquals(hb, roundTrip(hb));
    }

    @ParameterizedTest
    @EnumSource(ServerStatus.class)
    void everyStatus_roundTrips(ServerStatus s) {
        PeerHeartbeat hb = new PeerHeartbeat(9, SUBSCRIBER,
                new HeartbeatContent(s, 1, SUBSCRIBER, true, 0, s, List.of()));
        assertEquals(hb, roundTrip(hb));
        PeerActionResult r = new PeerActionResult(3, true, "ok", s, 0);
        assertEquals(r, roundTrip(r));
    }

    @Test
    void everyPortState_roundTrips() {
        List<PortDelta> deltas = new ArrayList<>();
        for (PortState s : PortState.values()) {
            deltas.add(PeerTestKit.delta(deltas.size(), s, "call-" + deltas.size()));
        }
        PeerHeartbeat hb = new PeerHeartbeat(2, PUBLISHER, content(deltas));
        assertEquals(hb, roundTrip(hb));
    }

    @Test
    void aHeartbeatFullOfDeltas_fitsOneFrame() {
        List<PortDelta> deltas = new ArrayList<>();
        for (int i = 0; i < HeartbeatContent.MAX_DELTAS; i++) {
            deltas.add(new PortDelta(i, PortState.RINGING, null, null, null, null, null, i));
        }
        PeerHeartbeat hb = new PeerHeartbeat(3, PUBLISHER, content(deltas));
        assertEquals(hb, roundTrip(hb));
    }

    @Test
    void moreDeltasThanAFrameCarries_areRefusedWhenBuilt() {
        List<PortDelta> deltas = new ArrayList<>();
        for (int i = 0; i <= HeartbeatContent.MAX_DELTAS; i++) {
            deltas.add(PortDelta.ended(i));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> content(deltas));
        assertTrue(e.getMessage().contains("4097"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(AdminAction.class)
    void pm3_everyAction_roundTripsByItsPathName(AdminAction a) {
        PeerAction action = new PeerAction(77, a, SUBSCRIBER, true);
        assertEquals(action, roundTrip(action));
        PeerAction unforced = new PeerAction(78, a, PUBLISHER, false);
        assertEquals(unforced, roundTrip(unforced));
    }

    @Test
    void actionResult_roundTrips_withUnicodeReasonAndNoStatus() {
        PeerActionResult r = new PeerActionResult(5, false, "refusé: PRIMARY cannot be deactivated (ST-3) \u2713",
                null, 4);
        assertEquals(r, roundTrip(r));
    }

    @Test
    void aLongReason_isCutToFitTheFrame() {
        PeerActionResult r = new PeerActionResult(5, true, "\u20ac".repeat(5_000), ServerStatus.SECONDARY, 0);
        assertEquals(PeerWire.MAX_TEXT_CHARS, r.reason().length());
        assertEquals(r, roundTrip(r));
    }

    @Test
    void bye_roundTrips() {
        for (PeerBye.Code code : PeerBye.Code.values()) {
            PeerBye bye = new PeerBye(code, "because " + code);
            assertEquals(bye, roundTrip(bye));
        }
    }

    // ------------------------------------------------------------------ framing

    @Test
    void framesSplitAcrossReads_areDecodedWhenWhole() {
        PeerHello hello = new PeerHello(PeerWire.PROTOCOL_VERSION, PUBLISHER, 1, 2, 3_000);
        PeerHeartbeat hb = new PeerHeartbeat(1, PUBLISHER, content(List.of(PeerTestKit.delta(4, PortState.IN_CALL, "x"))));
        ByteBuf bytes = encode(hello, hb);
        int helloEnd = 4 + bytes.getInt(0);
        EmbeddedChannel ch = codec();
        List<PeerMessage> got = new ArrayList<>();
        int total = bytes.readableBytes();
        for (int i = 0; i < total; i++) {
            ch.writeInbound(bytes.readRetainedSlice(1));
            PeerMessage m;
            while ((m = ch.readInbound()) != null) {
                got.add(m);
            }
            if (i + 1 < helloEnd) {
                assertTrue(got.isEmpty(), "nothing before the HELLO's last byte");
            }
            if (i + 1 == helloEnd) {
                assertEquals(List.of(hello), got);
            }
        }
        bytes.release();
        assertEquals(List.of(hello, hb), got);
        assertFalse(ch.finish());
    }

    @Test
    void framesJoinedInOneRead_areAllDecoded() {
        PeerAction a = new PeerAction(1, AdminAction.MAKE_PRIMARY, SUBSCRIBER, false);
        PeerActionResult r = new PeerActionResult(1, true, "done", ServerStatus.PRIMARY, 0);
        PeerBye bye = new PeerBye(PeerBye.Code.STOPPING, "bye");
        EmbeddedChannel ch = codec();
        ch.writeInbound(encode(a, r, bye));
        assertEquals(a, ch.readInbound());
        assertEquals(r, ch.readInbound());
        assertEquals(bye, ch.readInbound());
        assertNull(ch.readInbound());
    }

    // ------------------------------------------------------------------ malformed frames

    /** A connection as the link runs it: the codec and a PeerHandler on a session that is not started. */
    private static final class Conn {
        final RecordingListener listener = new RecordingListener();
        final PeerSession session = new PeerSession(
                PeerTestKit.config(PUBLISHER, 7400, 7401, 100, 1_000, 1_000, 1_000), listener,
                new TestSource(ServerStatus.PRIMARY, 1), new SteppedClock(), 99L, () -> { }, () -> { });
        final EmbeddedChannel ch = new EmbeddedChannel(new PeerFrameDecoder(), PeerFrameEncoder.INSTANCE,
                new PeerHandler(session, PeerHandler.Direction.ACCEPTED));

        Conn() {
            ByteBuf hello = ch.readOutbound();
            assertInstanceOf(PeerHello.class, PeerFrameDecoder.read(hello.skipBytes(4)), "says HELLO first");
            hello.release();
        }

        /** Feeds the bytes; returns the reason in the BYE sent back. */
        String feed(ByteBuf bytes) {
            ch.writeInbound(bytes);
            ch.runPendingTasks();
            ByteBuf out = ch.readOutbound();
            if (out == null) {
                return null;
            }
            PeerMessage m = PeerFrameDecoder.read(out.skipBytes(4));
            out.release();
            return m instanceof PeerBye b ? b.reason() : m.toString();
        }
    }

    private static ByteBuf frame(int type, Consumer<ByteBuf> payload) {
        ByteBuf body = Unpooled.buffer();
        body.writeByte(type);
        payload.accept(body);
        ByteBuf out = Unpooled.buffer();
        out.writeInt(body.readableBytes());
        out.writeBytes(body);
        body.release();
        return out;
    }

    private static void assertClosedOnce(Conn c, String why, String expectedText) {
        assertFalse(c.ch.isOpen(), "the connection is closed: " + why);
        assertEquals(1, c.session.malformedFrames(), "counted once");
        assertTrue(why != null && why.contains(expectedText), "the BYE says '" + expectedText + "': " + why);
        assertTrue(c.listener.silent(), "nothing reaches the node");
    }

    private static void validHeartbeatFields(ByteBuf b, int statusCode, int stateCode, int deltaCount) {
        b.writeLong(1).writeByte(1).writeByte(statusCode).writeLong(2).writeByte(0).writeByte(1).writeInt(0)
                .writeByte(PeerWire.NONE).writeShort(deltaCount);
        for (int i = 0; i < Math.min(deltaCount, 2); i++) {
            b.writeInt(i).writeByte(stateCode).writeByte(PeerWire.NONE).writeInt(0)
                    .writeByte(0).writeByte(0).writeByte(0).writeByte(0);
        }
    }

    @Test
    void lengthPastTheMaximum_closesTheConnection() {
        Conn c = new Conn();
        ByteBuf b = Unpooled.buffer().writeInt(PeerWire.MAX_FRAME_BYTES + 1).writeByte(PeerWire.HEARTBEAT);
        assertClosedOnce(c, c.feed(b), "past the maximum");
    }

    @Test
    void zeroLength_closesTheConnection() {
        Conn c = new Conn();
        assertClosedOnce(c, c.feed(Unpooled.buffer().writeInt(0)), "length 0");
    }

    @Test
    void truncatedPayload_closesTheConnection() {
        Conn c = new Conn();
        ByteBuf b = frame(PeerWire.HELLO, p -> p.writeShort(PeerWire.PROTOCOL_VERSION).writeByte(1).writeInt(5));
        assertClosedOnce(c, c.feed(b), "truncated HELLO");
    }

    @Test
    void truncatedDeltas_closeTheConnection() {
        Conn c = new Conn();
        c.feed(encode(new PeerHello(PeerWire.PROTOCOL_VERSION, SUBSCRIBER, 1, 1, 1_000)));
        ByteBuf b = frame(PeerWire.HEARTBEAT, p -> validHeartbeatFields(p, 1, 0, 3)); // 3 announced, 2 present
        String why = c.feed(b);
        assertFalse(c.ch.isOpen());
        assertTrue(why.contains("truncated HEARTBEAT"), why);
        assertEquals(1, c.listener.connected.size());
        assertTrue(c.listener.heartbeats.isEmpty());
    }

    @Test
    void unknownType_closesTheConnection() {
        Conn c = new Conn();
        assertClosedOnce(c, c.feed(frame(0x7F, p -> p.writeLong(0))), "unknown frame type 0x7f");
    }

    @Test
    void badStatusOrdinal_closesTheConnection() {
        Conn c = new Conn();
        ByteBuf b = frame(PeerWire.HEARTBEAT, p -> validHeartbeatFields(p, PeerWire.STATUSES.length, 0, 0));
        assertClosedOnce(c, c.feed(b), "unknown status code 7");
    }

    @Test
    void badPortStateOrdinal_closesTheConnection() {
        Conn c = new Conn();
        ByteBuf b = frame(PeerWire.HEARTBEAT, p -> validHeartbeatFields(p, 1, PeerWire.PORT_STATES.length, 1));
        assertClosedOnce(c, c.feed(b), "unknown port state code 5");
    }

    @Test
    void badServerCode_closesTheConnection() {
        Conn c = new Conn();
        ByteBuf b = frame(PeerWire.HELLO, p -> p.writeShort(PeerWire.PROTOCOL_VERSION).writeByte(2).writeLong(1)
                .writeLong(1).writeInt(1_000));
        assertClosedOnce(c, c.feed(b), "unknown server code 2");
    }

    @Test
    void tooManyDeltas_closesTheConnection() {
        Conn c = new Conn();
        ByteBuf b = frame(PeerWire.HEARTBEAT, p -> validHeartbeatFields(p, 1, 0, PeerWire.MAX_DELTAS + 1));
        assertClosedOnce(c, c.feed(b), "4097 port deltas");
    }

    @Test
    void bytesPastTheEndOfAFrame_closeTheConnection() {
        Conn c = new Conn();
        ByteBuf b = frame(PeerWire.BYE, p -> p.writeByte(0).writeShort(0).writeByte(9));
        assertClosedOnce(c, c.feed(b), "1 bytes past its end");
    }

    @Test
    void unknownActionName_closesTheConnection() {
        Conn c = new Conn();
        ByteBuf b = frame(PeerWire.ACTION, p -> p.writeLong(1).writeByte(0).writeByte(0).writeByte(4)
                .writeBytes("boom".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertClosedOnce(c, c.feed(b), "unknown ACTION 'boom'");
    }

    @Test
    void anotherProtocolVersion_closesTheConnection() {
        Conn c = new Conn();
        ByteBuf b = frame(PeerWire.HELLO, p -> p.writeShort(PeerWire.PROTOCOL_VERSION + 1).writeByte(1).writeLong(1)
                .writeLong(1).writeInt(1_000));
        assertClosedOnce(c, c.feed(b), "protocol version " + (PeerWire.PROTOCOL_VERSION + 1));
    }

    @Test
    void aHeartbeatBeforeHello_closesTheConnection() {
        Conn c = new Conn();
        assertClosedOnce(c, c.feed(encode(new PeerHeartbeat(1, SUBSCRIBER, content(List.of())))),
                "HEARTBEAT before HELLO");
    }

    @Test
    void aHelloFromAServerOfTheSameName_isRefused() {
        Conn c = new Conn();
        assertClosedOnce(c, c.feed(encode(new PeerHello(PeerWire.PROTOCOL_VERSION, PUBLISHER, 1, 1, 1_000))),
                "expects subscriber");
    }

    @Test
    void afterAMalformedFrame_theRestOfTheReadIsIgnored() {
        Conn c = new Conn();
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(frame(0x42, p -> { }));
        b.writeBytes(frame(0x43, p -> { }));
        b.writeBytes(encode(new PeerHello(PeerWire.PROTOCOL_VERSION, SUBSCRIBER, 1, 1, 1_000)));
        assertClosedOnce(c, c.feed(b), "unknown frame type 0x42");
    }

    @Test
    void aHelloFromThePeer_reachesTheListenerAsConnected() {
        Conn c = new Conn();
        PeerHello hello = new PeerHello(PeerWire.PROTOCOL_VERSION, SUBSCRIBER, 1, 8, 2_500);
        c.feed(encode(hello));
        assertTrue(c.ch.isOpen());
        assertEquals(hello, c.listener.connected.poll());
        assertEquals(2_500, c.session.silenceTimeoutMs(), "ST-11: the longer of local 1000 ms and the 2500 asked");
        assertEquals(0, c.session.malformedFrames());
    }


    // ------------------------------------------------------------------ MAILBOX_CHANGED (MW-1), protocol 3

    @Test
    void mw1_mailboxChanged_roundTrips() {
        assertEquals(new PeerMailboxChanged("1001"), roundTrip(new PeerMailboxChanged("1001")));
        PeerMailboxChanged longest = new PeerMailboxChanged("9".repeat(PeerWire.MAX_EXTENSION_BYTES));
        assertEquals(longest, roundTrip(longest));
        assertThrows(IllegalArgumentException.class, () -> new PeerMailboxChanged(""));
        assertThrows(IllegalArgumentException.class, () -> new PeerMailboxChanged("1".repeat(33)));
        assertThrows(IllegalArgumentException.class, () -> new PeerMailboxChanged("10 01"));
    }

    @Test
    void mw1_mailboxChanged_isDrawnAsLengthAndAscii() {
        ByteBuf b = encode(new PeerMailboxChanged("1001"));
        assertEquals(1 + 1 + 4, b.readInt());
        assertEquals(PeerWire.MAILBOX_CHANGED, b.readByte());
        assertEquals(4, b.readUnsignedByte());
        assertEquals("1001", b.readCharSequence(4, java.nio.charset.StandardCharsets.US_ASCII).toString());
        assertFalse(b.isReadable());
    }

    @Test
    void mw1_aMailboxChangeFromThePeer_reachesTheListener() {
        Conn c = new Conn();
        c.feed(encode(new PeerHello(PeerWire.PROTOCOL_VERSION, SUBSCRIBER, 1, 1, 1_000)));
        c.feed(encode(new PeerMailboxChanged("1001")));
        assertTrue(c.ch.isOpen());
        assertEquals(new PeerMailboxChanged("1001"), c.listener.mailboxChanges.poll());
        assertEquals(0, c.session.malformedFrames());
    }

    @Test
    void mw1_aMailboxChangeWithTooLongAnExtension_closesTheConnection() {
        Conn c = new Conn();
        ByteBuf b = frame(PeerWire.MAILBOX_CHANGED, p -> p.writeByte(33).writeBytes(new byte[33]));
        assertClosedOnce(c, c.feed(b), "MAILBOX_CHANGED extension of 33 bytes");
        Conn empty = new Conn();
        assertClosedOnce(empty, empty.feed(frame(PeerWire.MAILBOX_CHANGED, p -> p.writeByte(0))),
                "bad MAILBOX_CHANGED frame");
    }

    /** A version-2 peer (no MAILBOX_CHANGED) still links: its frames decode, and it is never sent the new one. */
    @Test
    void aVersion2Peer_isAcceptedAndSentNoMailboxChange() {
        Conn c = new Conn();
        PeerHello old = new PeerHello(PeerWire.MIN_PROTOCOL_VERSION, SUBSCRIBER, 1, 1, 1_000);
        c.feed(encode(old, new PeerHeartbeat(1, SUBSCRIBER, content(List.of()))));
        assertTrue(c.ch.isOpen());
        assertEquals(old, c.listener.connected.poll());
        assertEquals(1, c.listener.heartbeats.size());
        drain(c);
        assertFalse(c.session.sendMailboxChanged(new PeerMailboxChanged("1001")), "version 2 does not know it");
        assertNull(c.ch.readOutbound(), "nothing written");

        Conn current = new Conn();
        current.feed(encode(new PeerHello(PeerWire.PROTOCOL_VERSION, SUBSCRIBER, 1, 1, 1_000)));
        drain(current);
        assertTrue(current.session.sendMailboxChanged(new PeerMailboxChanged("1001")));
        List<PeerMessage> out = drain(current);
        assertEquals(new PeerMailboxChanged("1001"), out.get(out.size() - 1), "after a heartbeat: " + out);
    }

    @Test
    void aProtocolVersionOlderThanTheOldestAccepted_closesTheConnection() {
        Conn c = new Conn();
        ByteBuf b = frame(PeerWire.HELLO, p -> p.writeShort(PeerWire.MIN_PROTOCOL_VERSION - 1).writeByte(1)
                .writeLong(1).writeLong(1).writeInt(1_000));
        assertClosedOnce(c, c.feed(b), "protocol version " + (PeerWire.MIN_PROTOCOL_VERSION - 1));
    }

    /** What the session wrote, decoded. */
    private static List<PeerMessage> drain(Conn c) {
        List<PeerMessage> out = new ArrayList<>();
        for (ByteBuf b; (b = c.ch.readOutbound()) != null; ) {
            while (b.isReadable()) {
                int length = b.readInt();
                out.add(PeerFrameDecoder.read(b.readSlice(length)));
            }
            b.release();
        }
        return out;
    }
}
