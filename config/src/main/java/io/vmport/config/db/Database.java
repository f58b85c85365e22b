package io.vmport.config.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.mysql.cj.jdbc.MysqlDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
 * <p>A URL with several hosts names the nodes of a MariaDB Galera cluster, this node's own first (issue 18):
 * Connector/J connects to the first that answers, and a connection that failed over stays writable
 * ({@code failOverReadOnly=false}). A write that loses Galera's certification to a conflicting write of another
 * node is run again ({@link Jdbc}).
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final AtomicInteger POOLS = new AtomicInteger();
    static final String DRIVER = "com.mysql.cj.jdbc.Driver";

    private final DatabaseSettings settings;
    private final HikariDataSource pool;
    /** Unpooled connections to the first host only, for a URL with several hosts; else the pool itself. */
    private final DataSource ownNode;
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

    private Database(DatabaseSettings settings, HikariDataSource pool, DataSource ownNode) {
        this.settings = settings;
        this.pool = pool;
        this.ownNode = ownNode;
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
        try {
            pool = new HikariDataSource(poolConfig(settings));
        } catch (HikariPool.PoolInitializationException e) {
            throw new DatabaseException("cannot open the connection pool (url=" + settings.safeUrl() + ", user="
                    + settings.user() + ", pool size " + settings.maxPoolSize() + "): " + e.getMessage(), e);
        }
        LOG.info("database {} at schema version {} ({} migrations applied), pool {} of {} connections, in {} ms",
                settings.safeUrl(), migrated.version(), migrated.applied(), pool.getPoolName(), settings.maxPoolSize(),
                (System.nanoTime() - startNs) / 1_000_000);
        return new Database(settings, pool, settings.multiHost() ? ownNode(settings) : pool);
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
     * The first host only, each connection opened when asked for: {@code connectTimeout} at most 2 s (the
     * caller probes again soon), the pool's socket timeout, no TLS or other option unless the URL sets it.
     */
    private static DataSource ownNode(DatabaseSettings s) {
        MysqlDataSource d = new MysqlDataSource();
        d.setURL(s.parsedUrl().firstHostOnly());
        d.setUser(s.user());
        d.setPassword(s.password());
        try {
            d.setConnectTimeout((int) Math.min(2_000, s.connectionTimeoutMs()));
            d.setSocketTimeout((int) s.socketTimeoutMs());
            d.setTcpKeepAlive(true);
        } catch (SQLException e) {
            throw new DatabaseException("cannot set the own node's timeouts (url=" + s.safeUrl() + "): "
                    + e.getMessage(), e);
        }
        return d;
    }

    private static HikariConfig poolConfig(DatabaseSettings s) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("vmport-db-" + POOLS.incrementAndGet());
        c.setDriverClassName(DRIVER);
        c.setJdbcUrl(s.jdbcUrl());
        c.setUsername(s.user());
        c.setPassword(s.password());
        c.setMaximumPoolSize(s.maxPoolSize());
        c.setMinimumIdle(s.maxPoolSize());
        c.setConnectionTimeout(s.connectionTimeoutMs());
        c.setValidationTimeout(Math.max(250, Math.min(2_000, s.connectionTimeoutMs())));
        c.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        c.setAutoCommit(true);
        c.addDataSourceProperty("rewriteBatchedStatements", "true");
        c.addDataSourceProperty("cachePrepStmts", "true");
        c.addDataSourceProperty("prepStmtCacheSize", "250");
        c.addDataSourceProperty("prepStmtCacheSqlLimit", "2048");
        c.addDataSourceProperty("useLocalSessionState", "true");
        c.addDataSourceProperty("tcpKeepAlive", "true");
        c.addDataSourceProperty("characterEncoding", "UTF-8");
        c.addDataSourceProperty("connectTimeout", String.valueOf(s.connectionTimeoutMs()));
        c.addDataSourceProperty("socketTimeout", String.valueOf(s.socketTimeoutMs()));
        if (s.multiHost()) {
            // Galera: every node takes writes, so a connection that failed over to another node keeps writing,
            // and new connections go back to the own node (first host) once it answers again.
            c.addDataSourceProperty("failOverReadOnly", "false");
            c.addDataSourceProperty("secondsBeforeRetrySource", "10");
            c.addDataSourceProperty("retriesAllDown", "1");
        }
        return c;
    }
}
