package io.vmport.loadtest.failover;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP forwarder from one listen address to a target, which the test can {@link #cut()} (the listener and every
 * connection closed: the client sees its connections reset and new ones refused at once) and {@link #restore()}.
 * It stands for one node's way to the database: the test's MariaDB listens on loopback only.
 *
 * <p>{@link #freeze()} stands for a host that goes silent without closing anything (power lost, a cable pulled, a
 * firewall dropping packets): nothing is forwarded either way any more and no socket is closed, so a client's read
 * waits for its timeout; a new connection is accepted (by the kernel, as a silent server's backlog would) and never
 * answered, so the client waits for the server's greeting. {@link #thaw()} forwards what was held, in order.
 */
final class TcpProxy implements AutoCloseable {
    private final InetSocketAddress listen;
    private final InetSocketAddress target;
    private final List<Socket> open = new ArrayList<>();
    private ServerSocket server;
    private Thread acceptor;
    private boolean frozen;

    TcpProxy(InetSocketAddress listen, InetSocketAddress target) {
        this.listen = listen;
        this.target = target;
    }

    synchronized void restore() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(listen);
        server = s;
        acceptor = new Thread(() -> accept(s), "proxy-" + listen);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                if (isFrozen()) {
                    synchronized (this) {
                        open.add(client); // accepted and never answered: a silent host
                    }
                    continue;
                }
                Socket upstream = new Socket();
                upstream.connect(target, 2_000);
                synchronized (this) {
                    if (server != s) {
                        client.close();
                        upstream.close();
                        continue;
                    }
                    open.add(client);
                    open.add(upstream);
                }
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // closed by cut(), or the target refused: the client sees its connection closed
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    awaitThawed();
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Stops forwarding both ways and answering new connections, closing nothing (class javadoc). */
    synchronized void freeze() {
        frozen = true;
    }

    /** Forwards again, what was held first. */
    synchronized void thaw() {
        frozen = false;
        notifyAll();
    }

    private synchronized boolean isFrozen() {
        return frozen;
    }

    private synchronized void awaitThawed() throws IOException {
        while (frozen && server != null) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while frozen", e);
            }
        }
        if (server == null) {
            throw new IOException("cut while frozen");
        }
    }

    /** Closes the listener and every forwarded connection. */
    synchronized void cut() {
        if (server == null) {
            return;
        }
        closeQuietly(server);
        server = null;
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
        notifyAll(); // pumps held by a freeze end
    }

    @Override
    public void close() {
        cut();
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
