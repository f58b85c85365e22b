package io.vmport.config.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.ConfigException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import org.junit.jupiter.api.Test;

/** Opening the pool, and errors that carry the state that explains them. */
class DatabaseTest {

    @Test
    void opensAndAnswers() {
        try (Database db = TestDatabase.openFresh()) {
            assertTrue(db.isReachable());
            assertTrue(db.poolState().contains("max=4"), db.poolState());
        }
    }

    @Test
    void anExhaustedPoolSaysSoWithItsTotals() throws Exception {
        DatabaseSettings oneConnection = TestDatabase.freshDatabase().withMaxPoolSize(1).withTimeouts(250, 5_000);
        try (Database db = Database.open(oneConnection); Connection held = db.dataSource().getConnection()) {
            assertTrue(held.isValid(1));
            DatabaseException e = assertThrows(DatabaseException.class, () -> db.alarms().count());

            assertTrue(e.getMessage().contains("cannot count the alarms"), e.getMessage());
            assertTrue(e.getMessage().contains("total=1, active=1, idle=0"), e.getMessage());
            assertTrue(e.getMessage().contains(oneConnection.safeUrl()), e.getMessage());
            assertTrue(e.isConnectionFailure(), "BI-4: a caller keeps its writes and retries");
            assertFalse(db.isReachable());
        }
    }

    @Test
    void aRefusedStatementIsNotAConnectionFailure() {
        try (Database db = TestDatabase.openFresh()) {
            DatabaseException e = assertThrows(DatabaseException.class,
                    () -> db.primaryRole().fenced("write nonsense", 0, c -> c.createStatement().execute("SELEC 1")));
            assertFalse(e.isConnectionFailure());
            assertEquals("42000", e.sqlState());
        }
    }

    @Test
    void anUnreachableServerFailsFastNamingTheUrl() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        DatabaseSettings nowhere = DatabaseSettings.of("jdbc:mysql://127.0.0.1:" + closedPort + "/vmport", "u", "pw");

        DatabaseException e = assertThrows(DatabaseException.class, () -> Database.open(nowhere));

        assertTrue(e.getMessage().contains("127.0.0.1:" + closedPort), e.getMessage());
    }

    @Test
    void wrongCredentialsAreRefusedWithoutPrintingThePassword() {
        DatabaseSettings good = TestDatabase.freshDatabase();
        DatabaseSettings bad = DatabaseSettings.of(good.jdbcUrl(), good.user(), "wrong-secret");

        DatabaseException e = assertThrows(DatabaseException.class, () -> Database.open(bad));

        assertTrue(e.getMessage().contains(good.user()), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-secret"), e.getMessage());
    }

    @Test
    void bi3_badSettingsAreRefusedNamingTheField() {
        ConfigException url = assertThrows(ConfigException.class,
                () -> DatabaseSettings.of("jdbc:postgresql://h/db", "u", "p"));
        assertEquals("database.url", url.field());
        ConfigException pool = assertThrows(ConfigException.class,
                () -> DatabaseSettings.of("jdbc:mysql://h/db", "u", "p").withMaxPoolSize(0));
        assertEquals("database.maxPoolSize", pool.field());
    }

    @Test
    void passwordsNeverShowInSettingsText() {
        DatabaseSettings s = DatabaseSettings.of("jdbc:mysql://h/db?user=u&password=top&x=1", "u", "secret");

        assertEquals("jdbc:mysql://h/db?user=u&password=***&x=1", s.safeUrl());
        assertFalse(s.toString().contains("secret") || s.toString().contains("top"), s.toString());
    }
}
