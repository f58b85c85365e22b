package io.vmport.sccp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vmport.sccp.codec.Skinny.CallInfo;
import io.vmport.sccp.codec.Skinny.CallState;
import io.vmport.sccp.codec.Skinny.CloseReceiveChannel;
import io.vmport.sccp.codec.Skinny.KeepAlive;
import io.vmport.sccp.codec.Skinny.KeepAliveAck;
import io.vmport.sccp.codec.Skinny.OffHook;
import io.vmport.sccp.codec.Skinny.OnHook;
import io.vmport.sccp.codec.Skinny.OpenReceiveChannel;
import io.vmport.sccp.codec.Skinny.OpenReceiveChannelAck;
import io.vmport.sccp.codec.Skinny.Register;
import io.vmport.sccp.codec.Skinny.RegisterAck;
import io.vmport.sccp.codec.Skinny.RegisterReject;
import io.vmport.sccp.codec.Skinny.SetRinger;
import io.vmport.sccp.codec.Skinny.StartMediaTransmission;
import io.vmport.sccp.codec.Skinny.StartTone;
import io.vmport.sccp.codec.Skinny.StopMediaTransmission;
import io.vmport.sccp.codec.Skinny.Unregister;
import io.vmport.sccp.codec.Skinny.UnregisterAck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import io.vmport.sccp.testing.PcapWriter;
import io.vmport.sccp.testing.Tshark;
import org.junit.jupiter.api.Test;

/**
 * Wireshark's Skinny dissector decodes every message this codec writes: a scripted session using each message
 * type (register refused then accepted, keep alive, rung, answered with media, hung up, unregistered; several
 * frames joined in one segment) is read by {@code tshark}; every TCP segment with data is Skinny with the expected
 * message ids, and none is malformed or carries an expert warning or error. Skipped when tshark is missing,
 * except under {@code CI=true}, where it fails. {@code StationTsharkTest} does the same with a recorded session.
 */
class SkinnyTsharkTest {
    static final int PHONE_SYSTEM_PORT = 2000;

    /** One segment: who sent it and the messages in it (several = joined frames). */
    record Segment(boolean fromStation, List<SkinnyMessage> messages) {
    }

    static List<Segment> session() {
        int ref = 0x1001;
        int party = 0x2001;
        List<Segment> s = new ArrayList<>();
        s.add(new Segment(true, List.of(new Register("VMP-SUB-0001", 1, 0x7f000001,
                Skinny.DEVICE_TYPE_VOICE_MAIL_PORT, 1))));
        s.add(new Segment(false, List.of(new RegisterReject("duplicate device VMP-SUB-0001"))));
        s.add(new Segment(true, List.of(new Register("VMP-SUB-0001", 1, 0x7f000001,
                Skinny.DEVICE_TYPE_VOICE_MAIL_PORT, 1))));
        s.add(new Segment(false, List.of(new RegisterAck(30, "D/M/Y", 60, 0))));
        s.add(new Segment(true, List.of(new KeepAlive())));
        s.add(new Segment(false, List.of(new KeepAliveAck())));
        s.add(new Segment(false, List.of(new SetRinger(Skinny.RING_OUTSIDE, 1, ref),
                new CallState(Skinny.CALL_STATE_RING_IN, 1, ref),
                new CallInfo("Alice", "5551234", "8000", 1, ref, Skinny.CALL_TYPE_INBOUND, "2001", "2001"))));
        s.add(new Segment(true, List.of(new OffHook(1, ref))));
        s.add(new Segment(false, List.of(new SetRinger(Skinny.RING_OFF, 1, ref),
                new CallState(Skinny.CALL_STATE_CONNECTED, 1, ref),
                new OpenReceiveChannel(ref, party, 20, 4, ref))));
        s.add(new Segment(true, List.of(new OpenReceiveChannelAck(0, 0x7f000001, 24000, party, ref))));
        s.add(new Segment(false, List.of(new StartMediaTransmission(ref, party, 0x7f000002, 16384, 20, 4, ref))));
        s.add(new Segment(false, List.of(new StartTone(0x21, 1, ref))));
        s.add(new Segment(false, List.of(new CloseReceiveChannel(ref, party, ref),
                new StopMediaTransmission(ref, party, ref), new CallState(Skinny.CALL_STATE_ON_HOOK, 1, ref))));
        s.add(new Segment(true, List.of(new OnHook(1, ref))));
        s.add(new Segment(true, List.of(new Unregister(0))));
        s.add(new Segment(false, List.of(new UnregisterAck(0))));
        return s;
    }

    static byte[] encode(List<SkinnyMessage> messages) {
        ByteBuf buf = Unpooled.buffer();
        messages.forEach(m -> SkinnyEncoder.write(m, buf));
        byte[] bytes = ByteBufUtil.getBytes(buf);
        buf.release();
        return bytes;
    }

    /**
     * SPEC MD-1: the media messages of an A-law call, one per segment, decode with the field values written: the
     * ids, conference, pass-through party and call reference, packet size, codec, status, addresses and ports.
     */
    @Test
    void md1TsharkDecodesTheMediaMessagesFields() throws Exception {
        String tshark = Tshark.require();
        int ref = 0x2002;
        int party = 0x3003;
        PcapWriter pcap = new PcapWriter(40002, PHONE_SYSTEM_PORT);
        pcap.fromPhoneSystem(encode(List.of(new OpenReceiveChannel(ref, party, 20, Skinny.PAYLOAD_G711_ALAW_64K,
                ref, 101))));
        pcap.fromStation(encode(List.of(new OpenReceiveChannelAck(Skinny.MEDIA_STATUS_OK, 0x7f000005, 24000, party,
                ref))));
        pcap.fromPhoneSystem(encode(List.of(new StartMediaTransmission(ref, party, 0x7f000002, 16386, 20,
                Skinny.PAYLOAD_G711_ALAW_64K, ref, 101))));
        pcap.fromPhoneSystem(encode(List.of(new StopMediaTransmission(ref, party, ref))));
        pcap.fromPhoneSystem(encode(List.of(new CloseReceiveChannel(ref, party, ref))));
        Path file = Files.createDirectories(Paths.get("target", "tshark")).resolve("skinny-media.pcap");
        pcap.writeTo(file);

        List<String> fields = Tshark.skinnyMessageFields(tshark, file, PHONE_SYSTEM_PORT, "skinny",
                "skinny.messageId", "skinny.conferenceId", "skinny.passThroughPartyId", "skinny.callReference",
                "skinny.milliSecondPacketSize", "skinny.compressionType", "skinny.mediaReceptionStatus",
                "skinny.ipAddr.ipv4", "skinny.portNumber", "skinny.remoteIpAddr.ipv4", "skinny.remotePortNumber",
                "skinny.RFC2833PayloadType");
        assertEquals(List.of(
                "261\t8194\t12291\t8194\t20\t0x00000002\t\t\t\t\t\t101", // 0x0105, A-law 64k
                "34\t\t12291\t8194\t\t\t0x00000000\t127.0.0.5\t24000\t\t\t", // 0x0022, status ok
                "138\t8194\t12291\t8194\t20\t0x00000002\t\t\t\t127.0.0.2\t16386\t101", // 0x008a
                "139\t8194\t12291\t8194\t\t\t\t\t\t\t\t", // 0x008b
                "262\t8194\t12291\t8194\t\t\t\t\t\t\t\t"), fields); // 0x0106
        String text = Tshark.skinnyText(tshark, file, PHONE_SYSTEM_PORT);
        assertTrue(text.contains("compressionType: Media_Payload_G711Alaw64k (0x00000002)"), text);
        assertTrue(text.contains("mediaReceptionStatus: Ok (0x00000000)"), text);
        assertEquals(List.of(), Tshark.badFrames(tshark, file, PHONE_SYSTEM_PORT), "no malformed or warned frame");
    }

    @Test
    void tsharkDecodesEverySessionFrameAsSkinny() throws Exception {
        String tshark = Tshark.require();
        PcapWriter pcap = new PcapWriter(40001, PHONE_SYSTEM_PORT);
        List<String> expected = new ArrayList<>();
        for (Segment seg : session()) {
            byte[] bytes = encode(seg.messages());
            if (seg.fromStation()) {
                pcap.fromStation(bytes);
            } else {
                pcap.fromPhoneSystem(bytes);
            }
            StringBuilder ids = new StringBuilder();
            for (SkinnyMessage m : seg.messages()) {
                ids.append(ids.length() == 0 ? "" : ",").append(m.type().id());
            }
            expected.add(ids.toString());
        }
        Path dir = Files.createDirectories(Paths.get("target", "tshark"));
        Path file = dir.resolve("skinny-session.pcap");
        pcap.writeTo(file);

        List<String> fields = Tshark.skinnyFields(tshark, file, PHONE_SYSTEM_PORT);
        Files.write(dir.resolve("skinny-session.fields.txt"), fields);
        assertEquals(expected.size(), fields.size(), () -> "one line per data segment: " + fields);
        for (int i = 0; i < fields.size(); i++) {
            String[] f = fields.get(i).split("\t", -1);
            assertTrue(f[1].endsWith(":tcp:skinny"), "frame " + f[0] + " is Skinny: " + fields.get(i));
            assertEquals(expected.get(i), f[2], "message ids of frame " + f[0] + ": " + fields.get(i));
            assertEquals("", f[3], "frame " + f[0] + " is not malformed: " + fields.get(i));
            assertEquals("", f[4], "frame " + f[0] + " has no expert info: " + fields.get(i));
            assertEquals(5, f.length, fields.get(i));
        }
        List<String> bad = Tshark.badFrames(tshark, file, PHONE_SYSTEM_PORT);
        assertEquals(List.of(), bad, "no malformed, warned, erroneous or unrecognised frame");
    }
}
