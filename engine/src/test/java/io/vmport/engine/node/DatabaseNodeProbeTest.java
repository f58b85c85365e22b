package io.vmport.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.ServerName;
import io.vmport.config.db.Database;
import io.vmport.config.db.TestDatabase;
import io.vmport.engine.pipeline.PipelineProducer;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The probe of this server's own database node (SPEC section 2 REPLICATING_DATA, ST-10). */
class DatabaseNodeProbeTest {

    @Test
    void theEmbeddedMariaDb_isNotReplicated_andNothingIsReported() throws Exception {
        Supplier<PipelineProducer> noReport = () -> {
            throw new AssertionError("a database without replication reports nothing");
        };
        try (Database db = TestDatabase.openFresh();
             DatabaseNodeProbe probe = new DatabaseNodeProbe(ServerName.PUBLISHER, db.dataSource(), noReport)) {
            DatabaseNodeProbe.Reading r = probe.read();
            assertEquals(DatabaseNodeProbe.Reading.NOT_REPLICATED, r);
            assertTrue(r.synced(), "not replicated counts as synced: never REPLICATING_DATA");
            probe.probe();
            probe.probe();
        }
    }

    @Test
    void aProbeThatFailed_connectsAgainAtTheNextProbe_withoutWaiting() throws Exception {
        Supplier<PipelineProducer> noReport = () -> {
            throw new AssertionError("a database without replication reports nothing");
        };
        try (Database db = TestDatabase.openFresh()) {
            AtomicInteger refusals = new AtomicInteger(1);
            AtomicInteger asked = new AtomicInteger();
            DataSource downOnce = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                        if (method.getName().equals("getConnection")) {
                            asked.incrementAndGet();
                            if (refusals.getAndDecrement() > 0) {
                                throw new SQLException("Connection refused (the node restarts)");
                            }
                        }
                        return method.invoke(db.dataSource(), args);
                    });
            try (DatabaseNodeProbe probe = new DatabaseNodeProbe(ServerName.SUBSCRIBER, downOnce, noReport)) {
                assertThrows(SQLException.class, probe::read);
                assertEquals(DatabaseNodeProbe.Reading.NOT_REPLICATED, probe.read(),
                        "read at the next probe, no backoff in between");
                assertEquals(2, asked.get(), "one connection asked for per probe");
            }
        }
    }

    @Test
    void galeraValues_syncedOnlyWhenSynced_theQueueIsTheBacklog() {
        DatabaseNodeProbe.Reading synced = DatabaseNodeProbe.Reading.of("ON", "Synced", "0");
        assertTrue(synced.replicated() && synced.synced(), synced.toString());
        for (String catchingUp : new String[] {"Joining", "Joined", "Donor/Desynced", "Initialized"}) {
            DatabaseNodeProbe.Reading r = DatabaseNodeProbe.Reading.of("ON", catchingUp, "12");
            assertTrue(r.replicated(), r.toString());
            assertFalse(r.synced(), catchingUp + " is not synced");
            assertEquals(12, r.receiveQueue());
        }
        assertEquals(DatabaseNodeProbe.Reading.NOT_REPLICATED, DatabaseNodeProbe.Reading.of("OFF", "Synced", "3"),
                "wsrep off: a plain server");
        assertEquals(DatabaseNodeProbe.Reading.NOT_REPLICATED, DatabaseNodeProbe.Reading.of(null, null, null),
                "no wsrep variables: MySQL, or MariaDB without Galera");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> DatabaseNodeProbe.Reading.of("ON", "Synced", "lots"));
        assertTrue(bad.getMessage().contains("'lots'"), bad.getMessage());
    }
}
