package io.vmport.config.db;

import io.vmport.config.JdbcUrl;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * The pool's way to the hosts of a URL that names several (the nodes of a Galera cluster, the own node first; issue
 * 18). Each connection is to one host: the first in URL order that accepts, skipping a host that is held down:
 *
 * <pre>
 * host 0 (own node)  held down from {@link #silent} until it {@link #answered answers} Synced
 * any host           held down for {@value #DOWN_HOLD_MS} ms after a connection to it failed
 * every host down    all are tried in order anyway: a hold never refuses by itself
 * </pre>
 *
 * <p>{@link #silent} also aborts every connection open to the own node: a statement hung in a read on a host that
 * stopped answering without closing its connections ends at once with a communications failure, so the pool drops
 * that connection and the work is run again through another host (BI-4, the writers' retry), instead of waiting
 * out the socket timeout. A write aborted while in flight either committed on the cluster or not at all (Galera
 * replicates at commit); the writers' inserts skip rows already stored, so none is lost or stored twice.
 *
 * <p>Connector/J's own multi-host failover is not used: it starts every new connection at the first host, so a
 * silent own node cost every new connection its whole timeout.
 */
final class HostWalk implements DataSource, OwnNodeHealth {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(HostWalk.class);
    /** How long a host that refused or timed out a connection is skipped by new connections. */
    static final long DOWN_HOLD_MS = 5_000;
    private static final int OWN = 0;

    private final JdbcUrl url;
    private final List<String> hostUrls;
    private final Properties properties;
    private final Driver driver;
    private final LongSupplier nowMs;
    /** Per host: skipped by new connections until this time (ms of {@link #nowMs}); 0 when usable. */
    private final AtomicLongArray downUntilMs;
    private final Set<Opened> open = ConcurrentHashMap.newKeySet();
    /** The own node went silent or is not Synced: skipped until it answers Synced. */
    private volatile boolean ownNodeHeld;
    private volatile int lastHost = OWN;

    private record Opened(int host, Connection connection) {
    }

    /**
     * @param properties the driver's properties for every connection: user, password, timeouts, options
     * @param nowMs      the clock of the holds, in ms
     */
    HostWalk(JdbcUrl url, Properties properties, Driver driver, LongSupplier nowMs) {
        if (!url.multiHost()) {
            throw new IllegalArgumentException("a host walk needs several hosts, the URL names one: " + url);
        }
        this.url = url;
        this.hostUrls = new ArrayList<>();
        for (int i = 0; i < url.hosts().size(); i++) {
            hostUrls.add(url.hostOnly(i));
        }
        this.properties = (Properties) properties.clone();
        this.driver = driver;
        this.nowMs = nowMs;
        this.downUntilMs = new AtomicLongArray(hostUrls.size());
    }

    @Override
    public Connection getConnection() throws SQLException {
        long now = nowMs.getAsLong();
        boolean[] tried = new boolean[hostUrls.size()];
        List<String> failures = new ArrayList<>();
        SQLException first = null;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < hostUrls.size(); i++) {
                if (tried[i] || (pass == 0 && heldDown(i, now))) {
                    continue;
                }
                tried[i] = true;
                try {
                    return opened(i, connect(i));
                } catch (SQLException e) {
                    downUntilMs.set(i, nowMs.getAsLong() + DOWN_HOLD_MS);
                    failures.add(url.hosts().get(i) + ": " + firstLine(e));
                    first = first == null ? e : first;
                }
            }
        }
        throw new SQLException("no database host took a connection (" + String.join("; ", failures) + ")", "08001",
                first);
    }

    private Connection connect(int host) throws SQLException {
        Connection c = driver.connect(hostUrls.get(host), properties);
        if (c == null) {
            throw new SQLException("the driver does not take " + url.hosts().get(host), "08001");
        }
        return c;
    }

    private Connection opened(int host, Connection c) {
        open.removeIf(o -> isClosed(o.connection));
        open.add(new Opened(host, c));
        if (lastHost != host) {
            LOG.info("database connections go to {} (host {} of {}){}", url.hosts().get(host), host + 1,
                    hostUrls.size(), host == OWN ? ", the own node again" : "; before it: " + holds());
            lastHost = host;
        }
        return c;
    }

    private boolean heldDown(int host, long now) {
        return (host == OWN && ownNodeHeld) || downUntilMs.get(host) > now;
    }

    @Override
    public void silent(Exception cause) {
        if (!ownNodeHeld) {
            LOG.warn("own database node {} silent ({}: {}): its connections are aborted, new ones go to the next host"
                    + " until it answers Synced", url.hosts().get(OWN), cause.getClass().getSimpleName(),
                    firstLine(cause));
        }
        ownNodeHeld = true;
        int aborted = 0;
        for (Opened o : open) {
            if (o.host == OWN) {
                open.remove(o);
                if (!isClosed(o.connection)) {
                    abort(o.connection);
                    aborted++;
                }
            }
        }
        if (aborted > 0) {
            LOG.warn("aborted {} connection(s) to the silent own node {}", aborted, url.hosts().get(OWN));
        }
    }

    @Override
    public void answered(boolean synced) {
        if (synced && ownNodeHeld) {
            LOG.info("own database node {} answers Synced again: new connections go to it", url.hosts().get(OWN));
            downUntilMs.set(OWN, 0);
        } else if (!synced && !ownNodeHeld) {
            LOG.info("own database node {} answers but is not Synced: new connections go to the next host",
                    url.hosts().get(OWN));
        }
        ownNodeHeld = !synced;
    }

    /** Connections this walk opened that are not closed yet, per host index (0 the own node): for tests. */
    int[] openPerHost() {
        int[] n = new int[hostUrls.size()];
        for (Opened o : open) {
            if (!isClosed(o.connection)) {
                n[o.host]++;
            }
        }
        return n;
    }

    private String holds() {
        long now = nowMs.getAsLong();
        List<String> held = new ArrayList<>();
        for (int i = 0; i < hostUrls.size(); i++) {
            if (heldDown(i, now)) {
                held.add(url.hosts().get(i) + (i == OWN && ownNodeHeld ? " held (own node silent or not Synced)"
                        : " held " + (downUntilMs.get(i) - now) + " ms more (a connection failed)"));
            }
        }
        return held.isEmpty() ? "none held" : String.join(", ", held);
    }

    private static void abort(Connection c) {
        try {
            c.abort(Runnable::run); // closes the socket: a read blocked on it fails at once
        } catch (SQLException | RuntimeException e) {
            LOG.debug("aborting a connection to the silent own node: {}", e.getMessage());
        }
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the host walk connects with the configured user only");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // no log writer: logs go to SLF4J
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // each host has the connect timeout of the settings
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging parent logger");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    @Override
    public String toString() {
        return "HostWalk[" + url.hosts() + ", " + holds() + "]";
    }
}
