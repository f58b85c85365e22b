package io.vmport.sccp.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one TCP connection between a station and the phone system as a classic pcap file: Ethernet, IPv4 and
 * TCP headers with correct lengths, sequence numbers and checksums, so that tshark reads it as a real capture.
 * <pre>
 * pcap header 24 | per packet: record header 16 | Ethernet 14 | IPv4 20 | TCP 20 | payload
 * </pre>
 */
public final class PcapWriter {
    private static final byte[] STATION_IP = {127, 0, 0, 1};
    private static final byte[] PHONE_SYSTEM_IP = {127, 0, 0, 2};

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final int stationPort;
    private final int phoneSystemPort;
    private long stationSeq = 1000;
    private long phoneSystemSeq = 5000;
    private long timeUs = 1_700_000_000_000_000L;
    private int packets;

    public PcapWriter(int stationPort, int phoneSystemPort) {
        this.stationPort = stationPort;
        this.phoneSystemPort = phoneSystemPort;
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.writeBytes(h.array());
        packet(true, 0x02, new byte[0]);          // SYN
        stationSeq++;
        packet(false, 0x12, new byte[0]);         // SYN ACK
        phoneSystemSeq++;
        packet(true, 0x10, new byte[0]);          // ACK
    }

    /** Bytes the station sent in one segment. */
    public void fromStation(byte[] payload) {
        data(true, payload);
    }

    /** Bytes the phone system sent in one segment. */
    public void fromPhoneSystem(byte[] payload) {
        data(false, payload);
    }

    public int packets() {
        return packets;
    }

    private void data(boolean fromStation, byte[] payload) {
        packet(fromStation, 0x18, payload);       // PSH ACK
        if (fromStation) {
            stationSeq += payload.length;
        } else {
            phoneSystemSeq += payload.length;
        }
        packet(!fromStation, 0x10, new byte[0]);  // ACK
    }

    private void packet(boolean fromStation, int flags, byte[] payload) {
        byte[] src = fromStation ? STATION_IP : PHONE_SYSTEM_IP;
        byte[] dst = fromStation ? PHONE_SYSTEM_IP : STATION_IP;
        int sport = fromStation ? stationPort : phoneSystemPort;
        int dport = fromStation ? phoneSystemPort : stationPort;
        long seq = fromStation ? stationSeq : phoneSystemSeq;
        long ack = (flags & 0x10) != 0 ? (fromStation ? phoneSystemSeq : stationSeq) : 0;

        ByteBuffer tcp = ByteBuffer.allocate(20 + payload.length).order(ByteOrder.BIG_ENDIAN);
        tcp.putShort((short) sport).putShort((short) dport).putInt((int) seq).putInt((int) ack)
                .put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0)
                .put(payload);
        ByteBuffer pseudo = ByteBuffer.allocate(12 + tcp.capacity()).order(ByteOrder.BIG_ENDIAN);
        pseudo.put(src).put(dst).put((byte) 0).put((byte) 6).putShort((short) tcp.capacity()).put(tcp.array());
        tcp.putShort(16, (short) checksum(pseudo.array()));

        ByteBuffer ip = ByteBuffer.allocate(20).order(ByteOrder.BIG_ENDIAN);
        ip.put((byte) 0x45).put((byte) 0).putShort((short) (20 + tcp.capacity())).putShort((short) packets)
                .putShort((short) 0x4000).put((byte) 64).put((byte) 6).putShort((short) 0).put(src).put(dst);
        ip.putShort(10, (short) checksum(ip.array()));

        ByteBuffer eth = ByteBuffer.allocate(14).order(ByteOrder.BIG_ENDIAN);
        eth.put(new byte[] {2, 0, 0, 0, 0, (byte) (fromStation ? 2 : 1)})
                .put(new byte[] {2, 0, 0, 0, 0, (byte) (fromStation ? 1 : 2)}).putShort((short) 0x0800);

        int len = 14 + 20 + tcp.capacity();
        timeUs += 1000;
        ByteBuffer rec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        rec.putInt((int) (timeUs / 1_000_000)).putInt((int) (timeUs % 1_000_000)).putInt(len).putInt(len);
        out.writeBytes(rec.array());
        out.writeBytes(eth.array());
        out.writeBytes(ip.array());
        out.writeBytes(tcp.array());
        packets++;
    }

    private static int checksum(byte[] b) {
        long sum = 0;
        for (int i = 0; i < b.length; i += 2) {
            int hi = b[i] & 0xff;
            int lo = i + 1 < b.length ? b[i + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    public void writeTo(Path file) throws IOException {
        Files.write(file, out.toByteArray());
    }
}
