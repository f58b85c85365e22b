package io.vmport.config.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.mysql.cj.jdbc.MysqlDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's connection to the shared database (SPEC CL-2): the schema migrated at {@link #open}, a small fixed
 * HikariCP pool over MySQL Connector/J, and the repositories. Works with MySQL 8 and MariaDB 10.6+.
 *
 * <p>Driver options added unless the URL sets them: {@code rewriteBatchedStatements=true} (a JDBC batch goes as
 * multi-row inserts), prepared-statement caching, {@code connectTimeout} and {@code socketTimeout} from the
 * settings, TCP keep-alive. Transactions run at READ COMMITTED.
 *
 * <p>A URL with several hosts names the nodes of a MariaDB Galera cluster, this node's own first (issue 18): each
 * pooled connection is to one host, the first that accepts and is not held down ({@link HostWalk}); the node's
 * probe of its own database node tells the walk when that node goes silent or is Synced again
 * ({@link #ownNodeHealth()}). A write that loses Galera's certification to a conflicting write of another node is
 * run again ({@link Jdbc}).
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final AtomicInteger POOLS = new AtomicInteger();
    static final String DRIVER = "com.mysql.cj.jdbc.Driver";

    private final DatabaseSettings settings;
    private final HikariDataSource pool;
    /** Unpooled connections to the first host only, for a URL with several hosts; else the pool itself. */
    private final DataSource ownNode;
    /** The pool's host walk for a URL with several hosts; {@link OwnNodeHealth#NONE} else. */
    private final OwnNodeHealth ownNodeHealth;
    private final Jdbc jdbc;
    private final ClusterRepository cluster;
    private final SettingsRepository clusterSettings;
    private final ServerRepository servers;
    private final PrimaryRoleRepository primaryRole;
    private final PortRepository ports;
    private final AlarmRepository alarms;
    private final CallRecordRepository callRecords;
    private final MailboxRepository mailboxes;
    private final MessageRepository messages;

    private Database(DatabaseSettings settings, HikariDataSource pool, DataSource ownNode,
                     OwnNodeHealth ownNodeHealth) {
        this.settings = settings;
        this.pool = pool;
        this.ownNode = ownNode;
        this.ownNodeHealth = ownNodeHealth;
        this.jdbc = new Jdbc(pool, settings.safeUrl());
        this.cluster = new ClusterRepository(jdbc);
        this.clusterSettings = new SettingsRepository(jdbc);
        this.servers = new ServerRepository(jdbc);
        this.primaryRole = new PrimaryRoleRepository(jdbc);
        this.ports = new PortRepository(jdbc);
        this.alarms = new AlarmRepository(jdbc);
        this.callRecords = new CallRecordRepository(jdbc);
        this.mailboxes = new MailboxRepository(jdbc);
        this.messages = new MessageRepository(jdbc);
    }

    /**
     * Migrates the schema, then opens the pool. Fails fast, with the URL and the reason, when the server cannot
     * be reached or refuses the credentials.
     *
     * @throws DatabaseException when the database cannot be reached, migrated or pooled
     */
    public static Database open(DatabaseSettings settings) {
        long startNs = System.nanoTime();
        Migrations.Result migrated = Migrations.apply(settings);
        HikariDataSource pool;
        HostWalk walk = settings.multiHost() ? new HostWalk(settings.parsedUrl(), withUser(settings),
                driver(), () -> System.nanoTime() / 1_000_000) : null;
        try {
            pool = new HikariDataSource(poolConfig(settings, walk));
        } catch (HikariPool.PoolInitializationException e) {
            throw new DatabaseException("cannot open the connection pool (url=" + settings.safeUrl() + ", user="
                    + settings.user() + ", pool size " + settings.maxPoolSize() + "): " + e.getMessage(), e);
        }
        LOG.info("database {} at schema version {} ({} migrations applied), pool {} of {} connections, in {} ms",
                settings.safeUrl(), migrated.version(), migrated.applied(), pool.getPoolName(), settings.maxPoolSize(),
                (System.nanoTime() - startNs) / 1_000_000);
        return walk == null ? new Database(settings, pool, pool, OwnNodeHealth.NONE)
                : new Database(settings, pool, ownNode(settings), walk);
    }

    public ClusterRepository cluster() {
        return cluster;
    }

    public SettingsRepository clusterSettings() {
        return clusterSettings;
    }

    public ServerRepository servers() {
        return servers;
    }

    public PrimaryRoleRepository primaryRole() {
        return primaryRole;
    }

    public PortRepository ports() {
        return ports;
    }

    public AlarmRepository alarms() {
        return alarms;
    }

    public CallRecordRepository callRecords() {
        return callRecords;
    }

    /** Mailboxes and their greetings (SPEC MS-1, MS-3). */
    public MailboxRepository mailboxes() {
        return mailboxes;
    }

    /** Messages with their audio (SPEC MS-1). */
    public MessageRepository messages() {
        return messages;
    }

    /** The settings this database was opened with (the password is not printed by their toString). */
    public DatabaseSettings connectionSettings() {
        return settings;
    }

    /** The pool, for code that needs plain JDBC. */
    public DataSource dataSource() {
        return pool;
    }

    /**
     * Connections to this node's own database node, the URL's first host, never failing over to another: what
     * the node reads the replication state of its own database node from (SPEC section 2 REPLICATING_DATA,
     * ST-10). Not pooled, so that a connection is tried the moment it is asked for: a pool that failed to reach
     * a restarted node backs off up to 10 s between attempts, longer than the node's rejoin, which then went
     * unseen. The caller keeps and closes what it gets. The pool itself when the URL names one host.
     */
    public DataSource ownNodeDataSource() {
        return ownNode;
    }

    /**
     * Where the node's probe of its own database node reports what it read (issue 18): silent, the pool aborts its
     * connections to that node and goes to the next host; answering Synced, new connections go to it again. Does
     * nothing when the URL names one host.
     */
    public OwnNodeHealth ownNodeHealth() {
        return ownNodeHealth;
    }

    /** {@code url=…, pool total=…, active=…, idle=…, waiting=…, max=…}: for logs and health output. */
    public String poolState() {
        return jdbc.state();
    }

    /**
     * Whether a pooled connection answers a trivial query now, waiting at most the connection timeout: for a
     * journal deciding whether to retry its writes (SPEC BI-4).
     */
    public boolean isReachable() {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            LOG.debug("database not reachable ({}): {}", jdbc.state(), e.getMessage());
            return false;
        }
    }

    /** Closes the pool; repositories fail afterwards. */
    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "Database[" + jdbc.state() + "]";
    }

    /**
     * The first host only, each connection opened when asked for: the connect and socket timeouts of the
     * settings (the probe limits its reads on a connection kept between probes to {@code ownNodeTimeoutMs}). No
     * TLS or other option unless the URL sets it.
     */
    private static DataSource ownNode(DatabaseSettings s) {
        MysqlDataSource d = new MysqlDataSource();
        d.setURL(s.parsedUrl().firstHostOnly());
        d.setUser(s.user());
        d.setPassword(s.password());
        try {
            d.setConnectTimeout((int) s.timeouts().connectTimeoutMs());
            d.setSocketTimeout((int) s.socketTimeoutMs());
            d.setTcpKeepAlive(true);
        } catch (SQLException e) {
            throw new DatabaseException("cannot set the own node's timeouts (url=" + s.safeUrl() + "): "
                    + e.getMessage(), e);
        }
        return d;
    }

    private static HikariConfig poolConfig(DatabaseSettings s, HostWalk walk) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("vmport-db-" + POOLS.incrementAndGet());
        if (walk == null) {
            c.setDriverClassName(DRIVER);
            c.setJdbcUrl(s.jdbcUrl());
            c.setUsername(s.user());
            c.setPassword(s.password());
            driverProperties(s).forEach((k, v) -> c.addDataSourceProperty((String) k, v));
        } else {
            c.setDataSource(walk); // one host per connection, the own node first (HostWalk)
        }
        c.setMaximumPoolSize(s.maxPoolSize());
        c.setMinimumIdle(s.maxPoolSize());
        c.setConnectionTimeout(s.connectionTimeoutMs());
        c.setValidationTimeout(Math.max(250, Math.min(2_000, s.connectionTimeoutMs())));
        c.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        c.setAutoCommit(true);
        return c;
    }

    private static Driver driver() {
        try {
            return new com.mysql.cj.jdbc.Driver();
        } catch (SQLException e) {
            throw new DatabaseException("cannot load MySQL Connector/J: " + e.getMessage(), e);
        }
    }

    private static Properties withUser(DatabaseSettings s) {
        Properties p = driverProperties(s);
        p.setProperty("user", s.user());
        p.setProperty("password", s.password());
        return p;
    }

    /** The driver's options for every pooled connection (class javadoc). */
    private static Properties driverProperties(DatabaseSettings s) {
        Properties p = new Properties();
        p.setProperty("rewriteBatchedStatements", "true");
        p.setProperty("cachePrepStmts", "true");
        p.setProperty("prepStmtCacheSize", "250");
        p.setProperty("prepStmtCacheSqlLimit", "2048");
        p.setProperty("useLocalSessionState", "true");
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("characterEncoding", "UTF-8");
        p.setProperty("connectTimeout", String.valueOf(s.timeouts().connectTimeoutMs()));
        p.setProperty("socketTimeout", String.valueOf(s.socketTimeoutMs()));
        return p;
    }
}
