package io.vmport.config.db;

import static io.vmport.config.ServerName.PUBLISHER;
import static io.vmport.config.ServerName.SUBSCRIBER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The two server rows: host, SPEC section 2 status, taking-calls flag (CA-4), last update. */
class ServerRepositoryTest {
    private Database db;

    @BeforeEach
    void open() {
        db = TestDatabase.openFresh();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void serversRoundTripPublisherFirst() {
        ServerRow subscriber = new ServerRow(SUBSCRIBER, "10.0.0.2", 5062, 8081, "STARTING", true, 10);
        ServerRow publisher = new ServerRow(PUBLISHER, "vm-a.example", 5060, 8080, "PRIMARY", false, 11);
        db.servers().upsert(subscriber);
        db.servers().upsert(publisher);

        assertEquals(List.of(publisher, subscriber), db.servers().all());
        assertEquals(publisher, db.servers().find(PUBLISHER).orElseThrow());
    }

    @Test
    void upsertReplacesTheRow() {
        db.servers().upsert(new ServerRow(PUBLISHER, "a", 5060, 8080, "STARTING", true, 1));
        ServerRow moved = new ServerRow(PUBLISHER, "b", 5070, 8090, "SECONDARY", false, 2);

        db.servers().upsert(moved);

        assertEquals(List.of(moved), db.servers().all());
    }

    @Test
    void st_everySpecStatusIsStoredAndUpdated() {
        db.servers().upsert(new ServerRow(PUBLISHER, "a", 5060, 8080, "STARTING", true, 1));
        long now = 2;
        for (String status : ServerRow.STATUSES) {
            assertTrue(db.servers().updateStatus(PUBLISHER, status, now));
            ServerRow row = db.servers().find(PUBLISHER).orElseThrow();
            assertEquals(status, row.status());
            assertEquals(now, row.lastUpdateMs());
            now++;
        }
        assertFalse(db.servers().updateStatus(SUBSCRIBER, "PRIMARY", now), "no such row");
    }

    @Test
    void ca4_stopTakingCallsAndTakeCallsAreStored() {
        db.servers().upsert(new ServerRow(SUBSCRIBER, "b", 5062, 8081, "SECONDARY", true, 1));

        assertTrue(db.servers().updateTakingCalls(SUBSCRIBER, false, 5));
        assertEquals(new ServerRow(SUBSCRIBER, "b", 5062, 8081, "SECONDARY", false, 5),
                db.servers().find(SUBSCRIBER).orElseThrow());
        assertTrue(db.servers().updateTakingCalls(SUBSCRIBER, true, 6));
        assertTrue(db.servers().find(SUBSCRIBER).orElseThrow().takingCalls());
    }

    @Test
    void aStatusThatIsNotASpecNameIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new ServerRow(PUBLISHER, "a", 5060, 8080, "primary", true, 1));
        assertThrows(IllegalArgumentException.class, () -> db.servers().updateStatus(PUBLISHER, "ACTIVE", 1));
    }

    @Test
    void st13_thePrimaryWritesTheOtherServerWithItsEpoch() throws Exception {
        long epoch = db.primaryRole().tryTakePrimary(PUBLISHER, 0).orElseThrow();
        ServerRow deactivated = new ServerRow(SUBSCRIBER, "b", 5062, 8081, "DEACTIVATED", true, 3);

        db.servers().upsert(deactivated, epoch);
        assertEquals(deactivated, db.servers().find(SUBSCRIBER).orElseThrow());

        db.primaryRole().tryTakePrimary(SUBSCRIBER, epoch);
        assertThrows(StaleEpochException.class, () -> db.servers().upsert(deactivated.withStatus("SECONDARY", 4), epoch));
        assertEquals(deactivated, db.servers().find(SUBSCRIBER).orElseThrow());
    }
}
