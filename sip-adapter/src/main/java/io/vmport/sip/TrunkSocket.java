package io.vmport.sip;

import gov.nist.core.net.DefaultNetworkLayer;
import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The trunk's UDP socket: each datagram received is shown to an {@link ArrivalGate} first, and only those it does
 * not deal with are returned to the stack's receiving thread (which queues them for its parser threads). A datagram
 * dealt with reuses the stack's receive buffer for the next one, so refusing allocates nothing there.
 */
final class TrunkSocket extends DatagramSocket {

    private final ArrivalGate gate;

    TrunkSocket(int port, InetAddress address, ArrivalGate gate) throws SocketException {
        super(port, address);
        this.gate = gate;
    }

    @Override
    public void receive(DatagramPacket packet) throws IOException {
        int capacity = packet.getLength();
        for (;;) {
            super.receive(packet);
            if (!gate.consumed(packet, this)) {
                return;
            }
            packet.setLength(capacity);
        }
    }

    /**
     * The stack's network layer with the listening UDP socket a {@link TrunkSocket}; everything else is the stack's
     * default. The gate is made when the socket is (the stack makes it when the trunk's listening point is), and
     * the socket is then shown to {@code made} (MWI NOTIFYs are sent from it).
     */
    static final class Layer implements NetworkLayer {
        private final NetworkLayer plain = DefaultNetworkLayer.SINGLETON;
        private final Supplier<ArrivalGate> gates;
        private final Consumer<DatagramSocket> made;

        Layer(Supplier<ArrivalGate> gates, Consumer<DatagramSocket> made) {
            this.gates = gates;
            this.made = made;
        }

        @Override
        public DatagramSocket createDatagramSocket(int port, InetAddress address) throws SocketException {
            if (address.isMulticastAddress()) {
                return plain.createDatagramSocket(port, address);
            }
            TrunkSocket socket = new TrunkSocket(port, address, gates.get());
            made.accept(socket);
            return socket;
        }

        @Override
        public DatagramSocket createDatagramSocket() throws SocketException {
            return plain.createDatagramSocket();
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
            return plain.createServerSocket(port, backlog, address);
        }

        @Override
        public SSLServerSocket createSSLServerSocket(int port, int backlog, InetAddress address) throws IOException {
            return plain.createSSLServerSocket(port, backlog, address);
        }

        @Override
        public Socket createSocket(InetAddress address, int port) throws IOException {
            return plain.createSocket(address, port);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress local) throws IOException {
            return plain.createSocket(address, port, local);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress local, int localPort)
                throws IOException {
            return plain.createSocket(address, port, local, localPort);
        }

        @Override
        public SSLSocket createSSLSocket(InetAddress address, int port) throws IOException {
            return plain.createSSLSocket(address, port);
        }

        @Override
        public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress local) throws IOException {
            return plain.createSSLSocket(address, port, local);
        }

        @Override
        public void setSipStack(SipStackImpl stack) {
            plain.setSipStack(stack);
        }
    }
}
