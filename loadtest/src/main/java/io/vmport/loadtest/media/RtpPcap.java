package io.vmport.loadtest.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a pcap of RTP packets for SIPp's {@code play_pcap_audio}, which replays the UDP payloads at their
 * capture times from the call's media port to the call's remote (it rewrites addresses and ports). Used to send
 * what no shipped pcap holds, e.g. a payload type that was not negotiated.
 *
 * <pre>
 * pcap header (24 bytes, little-endian): magic a1b2c3d4, version 2.4, zone 0, sigfigs 0, snaplen 65535, LINKTYPE 1
 * per packet: ts_sec, ts_usec, incl_len, orig_len (u32 LE), then the frame:
 *   Ethernet (14): dst 0, src 0, type 0800
 *   IPv4 (20, big-endian): 45 00 len id 0000 ttl=64 proto=17 checksum 127.0.0.1 -> 127.0.0.1
 *   UDP (8): src 5000, dst 6000, len, checksum 0 (none)
 *   RTP (12 + payload): V=2, PT, sequence, timestamp, SSRC
 * </pre>
 */
public final class RtpPcap {
    private static final int ETHERNET = 14;
    private static final int IPV4 = 20;
    private static final int UDP = 8;
    private static final int RTP = 12;

    private RtpPcap() {
    }

    /** {@code packets} RTP packets of payload type {@code payloadType}, each {@code payloadBytes} long, 20 ms apart. */
    public static Path write(Path file, int payloadType, int packets, int payloadBytes) throws IOException {
        return writeUdp(file, packets, (i, b) -> b.put((byte) 0x80).put((byte) payloadType).putShort((short) i)
                .putInt(i * 160).putInt(0x0bad0bad).put(new byte[payloadBytes]), RTP + payloadBytes);
    }

    /** {@code packets} UDP datagrams holding {@code payload} (e.g. garbage, not RTP at all), 20 ms apart. */
    public static Path writeGarbage(Path file, int packets, byte[] payload) throws IOException {
        return writeUdp(file, packets, (i, b) -> b.put(payload), payload.length);
    }

    /** What one datagram carries: its number and where to put it. */
    private interface Datagram {
        void put(int number, ByteBuffer into);
    }

    private static Path writeUdp(Path file, int packets, Datagram datagram, int udpPayloadBytes) throws IOException {
        int frame = ETHERNET + IPV4 + UDP + udpPayloadBytes;
        ByteBuffer b = ByteBuffer.allocate(24 + packets * (16 + frame)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65_535).putInt(1);
        for (int i = 0; i < packets; i++) {
            long us = i * 20_000L;
            b.order(ByteOrder.LITTLE_ENDIAN).putInt((int) (us / 1_000_000)).putInt((int) (us % 1_000_000))
                    .putInt(frame).putInt(frame);
            b.order(ByteOrder.BIG_ENDIAN);
            b.put(new byte[12]).putShort((short) 0x0800);
            int ipStart = b.position();
            b.put((byte) 0x45).put((byte) 0).putShort((short) (frame - ETHERNET)).putShort((short) i)
                    .putShort((short) 0).put((byte) 64).put((byte) 17).putShort((short) 0).putInt(0x7f000001)
                    .putInt(0x7f000001);
            b.putShort(ipStart + 10, checksum(b, ipStart, IPV4));
            b.putShort((short) 5000).putShort((short) 6000).putShort((short) (UDP + udpPayloadBytes))
                    .putShort((short) 0);
            datagram.put(i, b);
        }
        return Files.write(file, b.array());
    }

    private static short checksum(ByteBuffer b, int from, int length) {
        int sum = 0;
        for (int i = from; i < from + length; i += 2) {
            sum += b.getShort(i) & 0xffff;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (short) ~sum;
    }
}
