package io.vmport.loadtest;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A caller's RTP end on a loopback UDP port: sends 20 ms frames of G.711 {@code audio} (played over and over) with
 * a given payload type to where vmport receives, and counts what vmport sends it and with which payload types:
 * <pre>
 * 0      1         2         4           8      12                   172
 * +------+---------+---------+-----------+------+--------------------+
 * | 0x80 | M | PT  | seq BE  | ts BE     | SSRC | 160 G.711 samples  |
 * +------+---------+---------+-----------+------+--------------------+
 * </pre>
 */
final class RtpPeer implements AutoCloseable {
    private static final int FRAME_SAMPLES = 160;

    private final DatagramSocket socket;
    private final Thread receiver;
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong packetsIn = new AtomicLong();
    private final Set<Integer> payloadTypesIn = ConcurrentHashMap.newKeySet();
    private volatile long lastInNs;
    private ScheduledFuture<?> sending;

    RtpPeer() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        receiver = new Thread(this::receive, "rtp-peer-" + socket.getLocalPort());
        receiver.setDaemon(true);
        receiver.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Sends {@code audio} (G.711 bytes, repeated) as payload type {@code payloadType} every 20 ms to {@code to}. */
    synchronized void send(InetSocketAddress to, int payloadType, byte[] audio) {
        stopSending();
        int ssrc = socket.getLocalPort();
        int[] state = {0, 0, 0}; // sequence, timestamp, audio offset
        sending = sender.scheduleAtFixedRate(() -> {
            byte[] b = new byte[12 + FRAME_SAMPLES];
            b[0] = (byte) 0x80;
            b[1] = (byte) ((state[0] == 0 ? 0x80 : 0) | payloadType);
            b[2] = (byte) (state[0] >> 8);
            b[3] = (byte) state[0];
            for (int i = 0; i < 4; i++) {
                b[4 + i] = (byte) (state[1] >> (24 - 8 * i));
                b[8 + i] = (byte) (ssrc >> (24 - 8 * i));
            }
            for (int i = 0; i < FRAME_SAMPLES; i++) {
                b[12 + i] = audio[state[2]];
                state[2] = (state[2] + 1) % audio.length;
            }
            state[0] = (state[0] + 1) & 0xFFFF;
            state[1] += FRAME_SAMPLES;
            try {
                socket.send(new DatagramPacket(b, b.length, to));
            } catch (IOException e) {
                // closed: the test is over
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
    }

    synchronized void stopSending() {
        if (sending != null) {
            sending.cancel(false);
            sending = null;
        }
    }

    /** RTP packets vmport sent here so far. */
    long packetsIn() {
        return packetsIn.get();
    }

    /** The payload types of what vmport sent here. */
    Set<Integer> payloadTypesIn() {
        return Set.copyOf(payloadTypesIn);
    }

    /** When the last packet came (System.nanoTime), 0 before any. */
    long lastInNs() {
        return lastInNs;
    }

    private void receive() {
        byte[] buf = new byte[2048];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (IOException closed) {
                return;
            }
            if (p.getLength() >= 12 && (buf[0] & 0xC0) == 0x80) {
                payloadTypesIn.add(buf[1] & 0x7F);
                lastInNs = System.nanoTime();
                packetsIn.incrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
        socket.close();
    }
}
