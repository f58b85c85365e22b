package io.vmport.config.db;

import static io.vmport.config.ServerName.PUBLISHER;
import static io.vmport.config.ServerName.SUBSCRIBER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SPEC AL-1 alarms: stored with time, server, name, detail; merged after a split brain (ST-12) without loss or duplicates. */
class AlarmRepositoryTest {
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
    void al1_alarmsRoundTripNewestFirst() {
        AlarmRow older = AlarmRow.raise(PUBLISHER, "StatusChangeStarted", "publisher PRIMARY -> SECONDARY", 1_000);
        AlarmRow newer = AlarmRow.raise(SUBSCRIBER, "AutoFailoverSucceeded", "subscriber is PRIMARY ✓", 2_000);
        AlarmRow newest = AlarmRow.raise(SUBSCRIBER, "NoConnectionToPeer", "", 3_000);
        db.alarms().insert(older);
        db.alarms().insertAll(List.of(newest, newer));

        assertEquals(List.of(newest, newer, older), db.alarms().newest(10));
        assertEquals(List.of(newest, newer), db.alarms().newest(2));
        assertEquals(List.of(), db.alarms().newest(0));
        assertEquals(3, db.alarms().count());
    }

    /**
     * ST-12: during a split brain each side kept its own alarms (some written to the database, some held back
     * by a side that could not reach it, some seen by both sides). The merge writes both sides' lists in full:
     * every alarm is stored exactly once.
     */
    @Test
    void st12_mergingBothSidesAlarmsNeitherLosesNorDuplicates() {
        List<AlarmRow> beforeSplit = raise(PUBLISHER, "StatusChangeCompleted", 0, 5);
        List<AlarmRow> publisherSide = new ArrayList<>(beforeSplit);
        publisherSide.addAll(raise(PUBLISHER, "NoConnectionToPeer", 100, 20));
        List<AlarmRow> subscriberSide = new ArrayList<>(beforeSplit);
        subscriberSide.addAll(raise(SUBSCRIBER, "AutoFailoverSucceeded", 100, 30));
        db.alarms().insertAll(beforeSplit);
        db.alarms().insertAll(publisherSide.subList(0, 12)); // written before the publisher lost the database

        db.alarms().insertAll(publisherSide);
        db.alarms().insertAll(subscriberSide);
        db.alarms().insertAll(subscriberSide); // a merge retried after an interruption

        Set<AlarmRow> expected = new HashSet<>(publisherSide);
        expected.addAll(subscriberSide);
        assertEquals(5 + 20 + 30, expected.size());
        assertEquals(expected.size(), db.alarms().count());
        assertEquals(expected, new HashSet<>(db.alarms().newest(1_000)));
    }

    @Test
    void aLongDetailIsClippedNotRefused() {
        String detail = "x".repeat(AlarmRow.DETAIL_MAX_CHARS - 1) + "😀😀";
        AlarmRow alarm = AlarmRow.raise(PUBLISHER, "SbrFailed", detail, 1);

        db.alarms().insert(alarm);

        String stored = db.alarms().newest(1).get(0).detail();
        assertEquals(AlarmRow.DETAIL_MAX_CHARS, stored.codePointCount(0, stored.length()));
        assertEquals(alarm, db.alarms().newest(1).get(0));
    }

    @Test
    void alarmIdsAreUniqueAndBadAlarmsAreRefused() {
        assertNotEquals(AlarmRow.raise(PUBLISHER, "A", "", 1).id(), AlarmRow.raise(PUBLISHER, "A", "", 1).id());
        assertThrows(IllegalArgumentException.class, () -> new AlarmRow("", 1, PUBLISHER, "A", ""));
        assertThrows(IllegalArgumentException.class, () -> new AlarmRow("x".repeat(37), 1, PUBLISHER, "A", ""));
        assertThrows(IllegalArgumentException.class, () -> AlarmRow.raise(PUBLISHER, " ", "", 1));
        assertThrows(IllegalArgumentException.class, () -> db.alarms().newest(-1));
    }

    private static List<AlarmRow> raise(io.vmport.config.ServerName server, String name, long fromMs, int count) {
        List<AlarmRow> alarms = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            alarms.add(AlarmRow.raise(server, name, name + " #" + i, fromMs + i));
        }
        return alarms;
    }
}
