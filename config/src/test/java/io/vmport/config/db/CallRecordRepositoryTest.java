package io.vmport.config.db;

import static io.vmport.config.ServerName.PUBLISHER;
import static io.vmport.config.ServerName.SUBSCRIBER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SPEC CA-6 call records, batched, stored once however often written (BI-4 retries, ST-12 merges). */
class CallRecordRepositoryTest {
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
    void ca6_everyFieldRoundTripsIncludingTheEmptyOnes() {
        CallRecordRow answered = new CallRecordRow("a84b4c76e66710@pc33.example", PUBLISHER, "sip-1",
                Integration.SIP_TRUNK, "+41 44 123", "5000", "+41 44 999", 1_000L, 1_250L, 61_000L, "ANSWERED",
                "BYE from caller");
        CallRecordRow refused = new CallRecordRow("7@gw", SUBSCRIBER, null, Integration.PIMG, null, null, null,
                2_000L, null, null, "REFUSED", null);

        db.callRecords().insertAll(List.of(answered, refused));

        assertEquals(List.of(refused, answered), db.callRecords().newest(10));
    }

    /** BI-4: a batch written again after an outage (it may have gone in before the connection broke) stays single. */
    @Test
    void bi4_aBatchOf1000WrittenTwiceLeaves1000() {
        List<CallRecordRow> batch = calls(PUBLISHER, 0, 1_000);

        long startNs = System.nanoTime();
        db.callRecords().insertAll(batch);
        long firstMs = (System.nanoTime() - startNs) / 1_000_000;
        db.callRecords().insertAll(batch);
        System.out.println("1000 call records in one batch: " + firstMs + " ms");

        assertEquals(1_000, db.callRecords().count());
        assertEquals(batch.get(999), db.callRecords().newest(1).get(0));
    }

    /** The batch reaches the server as a few multi-row INSERTs (rewriteBatchedStatements), not 1000 statements. */
    @Test
    void ca6_aBatchIsSentAsMultiRowInserts() throws Exception {
        long before = insertsExecutedByServer();

        db.callRecords().insertAll(calls(PUBLISHER, 0, 1_000));

        long statements = insertsExecutedByServer() - before;
        assertTrue(statements <= 10, statements + " INSERT statements for 1000 records");
        assertEquals(1_000, db.callRecords().count());
    }

    private long insertsExecutedByServer() throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Com_insert'")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    /** ST-12: both sides' records after a split brain, overlapping where one side had replicated some. */
    @Test
    void st12_mergingBothSidesRecordsNeitherLosesNorDuplicates() {
        List<CallRecordRow> publisherSide = calls(PUBLISHER, 0, 300);
        List<CallRecordRow> subscriberSide = new ArrayList<>(calls(SUBSCRIBER, 10_000, 200));
        subscriberSide.addAll(publisherSide.subList(0, 50)); // replicated before the split
        db.callRecords().insertAll(publisherSide.subList(0, 120));

        db.callRecords().insertAll(subscriberSide);
        db.callRecords().insertAll(publisherSide);

        assertEquals(500, db.callRecords().count());
        HashSet<CallRecordRow> expected = new HashSet<>(publisherSide);
        expected.addAll(subscriberSide);
        assertEquals(expected, new HashSet<>(db.callRecords().newest(1_000)));
    }

    /** A SIP call redirected to the other server keeps its Call-ID there: one record per server. */
    @Test
    void ca1_aRedirectedCallLeavesARecordOnEachServer() {
        CallRecordRow redirected = new CallRecordRow("c1", PUBLISHER, null, Integration.SIP_TRUNK, "1", "2", null,
                1L, null, 1L, "REDIRECTED", "server not taking calls");
        CallRecordRow answered = new CallRecordRow("c1", SUBSCRIBER, "sip-2", Integration.SIP_TRUNK, "1", "2", null,
                2L, 3L, 9L, "ANSWERED", null);

        db.callRecords().insertAll(List.of(redirected, answered));

        assertEquals(2, db.callRecords().count());
    }

    /** RFC 3261 Call-IDs are case-sensitive: two calls whose ids differ only in case are two records. */
    @Test
    void callIdsDifferingOnlyInCaseAreDifferentCalls() {
        db.callRecords().insertAll(List.of(
                new CallRecordRow("abc@host", PUBLISHER, null, Integration.SIP_TRUNK, null, null, null, 1L, null, null,
                        "REFUSED", null),
                new CallRecordRow("ABC@host", PUBLISHER, null, Integration.SIP_TRUNK, null, null, null, 2L, null, null,
                        "REFUSED", null)));

        assertEquals(2, db.callRecords().count());
    }

    @Test
    void longTextIsClippedAndMissingFieldsAreRefused() {
        CallRecordRow longCaller = new CallRecordRow("c", PUBLISHER, null, Integration.OTHER_SIP, "9".repeat(500),
                null, null, 1L, null, null, "REFUSED", "c".repeat(1_000));
        db.callRecords().insertAll(List.of(longCaller));
        CallRecordRow stored = db.callRecords().newest(1).get(0);
        assertEquals(CallRecordRow.NUMBER_MAX_CHARS, stored.caller().length());
        assertEquals(CallRecordRow.CAUSE_MAX_CHARS, stored.cause().length());

        assertThrows(IllegalArgumentException.class, () -> new CallRecordRow("", PUBLISHER, null, Integration.PIMG,
                null, null, null, 1L, null, null, "REFUSED", null));
        assertThrows(IllegalArgumentException.class, () -> new CallRecordRow("c", PUBLISHER, null, Integration.PIMG,
                null, null, null, 1L, null, null, "", null));
    }

    private static List<CallRecordRow> calls(ServerName server, long fromMs, int count) {
        List<CallRecordRow> calls = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long offered = fromMs + i;
            calls.add(new CallRecordRow(server.configName() + "-call-" + offered + "@host", server, "sip-" + (i % 8),
                    Integration.SIP_TRUNK, "1000" + i, "5000", i % 3 == 0 ? "2000" : null, offered, offered + 100,
                    offered + 60_000, "ANSWERED", "BYE"));
        }
        return calls;
    }
}
