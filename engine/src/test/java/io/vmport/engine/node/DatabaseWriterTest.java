package io.vmport.engine.node;

import io.vmport.config.testing.Poll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import io.vmport.config.db.AlarmRow;
import io.vmport.config.db.CallRecordRow;
import io.vmport.config.db.Database;
import io.vmport.config.db.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** BI-4: while the database refuses writes, call records and alarms are kept, and stored once it is back. */
class DatabaseWriterTest {

    @Test
    void bi4_rowsWrittenDuringAnOutageAreStoredWhenTheDatabaseIsBack_noneLostNoneTwice() throws Exception {
        try (Database db = TestDatabase.openFresh()) {
            DatabaseWriter writer = new DatabaseWriter(db, 10_000, "test-db-writer");
            writer.start();
            try {
                for (int i = 0; i < 10; i++) {
                    writer.submit(record("before-" + i));
                }
                Poll.await("10 records stored", 10_000, () -> db.callRecords().count() == 10, writer::toString);

                sql(db, "RENAME TABLE call_record TO call_record_away"); // the outage: every insert fails
                for (int i = 0; i < 500; i++) {
                    writer.submit(record("during-" + i));
                }
                writer.submit(AlarmRow.raise(ServerName.PUBLISHER, "NoConnectionToPeer", "test", 1L));
                Poll.await("the writer sees the outage", 10_000, writer::outage, writer::toString);
                assertEquals(10, writer.written(), writer.toString());

                sql(db, "RENAME TABLE call_record_away TO call_record");
                Poll.await("all 510 records stored", 20_000, () -> db.callRecords().count() == 510,
                        () -> writer + ", stored " + db.callRecords().count());
                // the alarm may come in the batch after the last record's
                Poll.await("the alarm stored", 10_000, () -> db.alarms().count() == 1, writer::toString);
                assertEquals(0, writer.dropped());
            } finally {
                writer.close(5_000);
            }
        }
    }

    private static CallRecordRow record(String callId) {
        return new CallRecordRow(callId, ServerName.PUBLISHER, "sip-1", Integration.SIP_TRUNK, "1001", "5000", null,
                1_000L, 1_100L, 2_000L, "ANSWERED", null);
    }

    private static void sql(Database db, String statement) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
