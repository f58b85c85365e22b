package io.vmport.loadtest.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One RTP stream of a capture as tshark decodes it: the packets sent from one UDP port, each with its arrival
 * time, sequence number, payload type, marker bit and payload. Gives what SPEC MD-2 asks of a stream: the
 * intervals between packets, and the audio itself for sox.
 *
 * @param packets in capture order
 */
public record RtpStream(List<Packet> packets) {

    /**
     * @param epochNs     when the packet crossed loopback (frame.time_epoch)
     * @param sequence    RTP sequence number
     * @param payloadType RTP payload type
     * @param marker      RTP marker bit
     * @param payload     RTP payload bytes
     */
    public record Packet(long epochNs, int sequence, int payloadType, boolean marker, byte[] payload) {
    }

    /** The stream sent from {@code sourcePort} in {@code pcap}, decoded as RTP by tshark. */
    public static RtpStream read(Path pcap, int sourcePort) throws IOException, InterruptedException {
        String out = tshark("-r", pcap.toString(), "-d", "udp.port==" + sourcePort + ",rtp",
                "-Y", "rtp && udp.srcport==" + sourcePort, "-T", "fields", "-e", "frame.time_epoch", "-e", "rtp.seq",
                "-e", "rtp.p_type", "-e", "rtp.marker", "-e", "rtp.payload");
        List<Packet> packets = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            // frame.time_epoch is seconds with nanosecond decimals, e.g. 1764746400.123456789
            String[] secondsAndFraction = f[0].split("\\.");
            String fraction = (secondsAndFraction.length > 1 ? secondsAndFraction[1] : "") + "000000000";
            long epochNs = Long.parseLong(secondsAndFraction[0]) * 1_000_000_000L
                    + Long.parseLong(fraction.substring(0, 9));
            packets.add(new Packet(epochNs, Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                    f[3].equals("1") || f[3].equalsIgnoreCase("true"), HexFormat.of().parseHex(f[4].replace(":", ""))));
        }
        return new RtpStream(List.copyOf(packets));
    }

    private static String tshark(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tshark"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    /** The UDP source ports from {@code firstPort..lastPort} that sent anything in {@code pcap}, ascending. */
    public static List<Integer> sourcePorts(Path pcap, int firstPort, int lastPort) throws IOException,
            InterruptedException {
        String out = tshark("-r", pcap.toString(), "-Y", "udp.srcport >= " + firstPort + " && udp.srcport <= "
                + lastPort, "-T", "fields", "-e", "udp.srcport");
        return out.lines().filter(l -> !l.isBlank()).map(Integer::valueOf).distinct().sorted().toList();
    }

    /** Milliseconds between consecutive packets; empty for fewer than two. */
    public double[] intervalsMs() {
        double[] gaps = new double[Math.max(0, packets.size() - 1)];
        for (int i = 1; i < packets.size(); i++) {
            gaps[i - 1] = (packets.get(i).epochNs() - packets.get(i - 1).epochNs()) / 1e6;
        }
        return gaps;
    }

    /** The mean of {@link #intervalsMs()}: the first packet to the last over the gaps between them. */
    public double meanIntervalMs() {
        return packets.size() < 2 ? Double.NaN
                : (packets.get(packets.size() - 1).epochNs() - packets.get(0).epochNs()) / 1e6 / (packets.size() - 1);
    }

    /** The longest of {@link #intervalsMs()}, 0 for fewer than two packets. */
    public double maxIntervalMs() {
        double max = 0;
        for (double gap : intervalsMs()) {
            max = Math.max(max, gap);
        }
        return max;
    }

    /**
     * The first stretch of the stream that carries sound: from the first packet with sound to the last one before
     * {@code quietPackets} packets of comfort silence in a row (or the end). A packet whose payload is all
     * {@code silenceByte} (G.711's encoding of 0: 0xD5 in A-law, 0xFF in mu-law) is comfort silence.
     */
    public RtpStream firstSounding(byte silenceByte, int quietPackets) {
        int first = -1;
        int last = -1;
        for (int i = 0; i < packets.size(); i++) {
            if (silent(packets.get(i), silenceByte)) {
                if (first >= 0 && i - last >= quietPackets) {
                    break;
                }
            } else {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        return new RtpStream(first < 0 ? List.of() : packets.subList(first, last + 1));
    }

    private static boolean silent(Packet packet, byte silenceByte) {
        for (byte b : packet.payload()) {
            if (b != silenceByte) {
                return false;
            }
        }
        return true;
    }

    /** How long the stream plays: its audio payload bytes at 8,000 G.711 samples per second, in ms. */
    public double audioMs() {
        long bytes = 0;
        for (Packet packet : packets) {
            bytes += packet.payload().length;
        }
        return bytes / 8.0;
    }

    /** The payloads one after the other: raw G.711 for {@code sox -t al} or {@code -t ul}. */
    public Path writePayload(Path file) throws IOException {
        try (var out = Files.newOutputStream(file)) {
            for (Packet packet : packets) {
                out.write(packet.payload());
            }
        }
        return file;
    }

    @Override
    public String toString() {
        return "RtpStream[" + packets.size() + " packets, mean " + String.format("%.2f", meanIntervalMs())
                + " ms, max " + String.format("%.2f", maxIntervalMs()) + " ms, " + audioMs() + " ms of audio]";
    }
}
