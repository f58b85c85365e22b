package io.vmport.config.db;

import static io.vmport.config.ServerName.PUBLISHER;
import static io.vmport.config.ServerName.SUBSCRIBER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.ClusterSettings;
import io.vmport.config.HostPort;
import io.vmport.config.ConfigException;
import io.vmport.config.HuntOrder;
import io.vmport.config.Integration;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cluster-wide settings (SPEC CL-2) round-trip field by field; changing them is a primary-only write (ST-13). */
class SettingsRepositoryTest {
    /** Every field differs from {@link ClusterSettings#defaults()}, so a field that is not stored shows. */
    private static final ClusterSettings EVERY_FIELD_CHANGED = new ClusterSettings(false, false, 1_234, true, 77,
            true, HuntOrder.LONGEST_IDLE, 250, 2_100, 2_200, true, List.of("10.0.0.1", "gw.example", "::1"),
            120, 5, 2, 45, Optional.of(new HostPort("2001:db8::5", 5090)), 1_100);

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
    void cl2_everySettingRoundTrips() throws Exception {
        for (RecordComponent field : ClusterSettings.class.getRecordComponents()) {
            assertNotEquals(field.getAccessor().invoke(ClusterSettings.defaults()),
                    field.getAccessor().invoke(EVERY_FIELD_CHANGED), field.getName() + " must differ from its default");
        }
        db.cluster().createIfAbsent(Integration.SCCP, 4, EVERY_FIELD_CHANGED, 1);

        assertEquals(EVERY_FIELD_CHANGED, db.clusterSettings().load().orElseThrow());
    }

    @Test
    void anEmptyNetworkCheckListRoundTrips() throws Exception {
        ClusterSettings none = new ClusterSettings(true, true, 60_000, false, 10_000, false, HuntOrder.TOP_DOWN, 500,
                3_000, 3_000, false, List.of());
        long epoch = db.primaryRole().tryTakePrimary(PUBLISHER, 0).orElseThrow();
        db.cluster().createIfAbsent(Integration.SIP_TRUNK, 2, ClusterSettings.defaults(), 1);

        db.clusterSettings().save(none, epoch, 2);

        assertEquals(none, db.clusterSettings().load().orElseThrow());
    }

    @Test
    void st13_thePrimarySavesSettingsAndAStaleEpochIsRefused() throws Exception {
        db.cluster().createIfAbsent(Integration.SIP_TRUNK, 16, ClusterSettings.defaults(), 1);
        long old = db.primaryRole().tryTakePrimary(PUBLISHER, 0).orElseThrow();
        long current = db.primaryRole().tryTakePrimary(SUBSCRIBER, old).orElseThrow();

        StaleEpochException refused = assertThrows(StaleEpochException.class,
                () -> db.clusterSettings().save(EVERY_FIELD_CHANGED, old, 2));
        assertEquals(current, refused.currentEpoch());
        assertEquals(ClusterSettings.defaults(), db.clusterSettings().load().orElseThrow());

        db.clusterSettings().save(EVERY_FIELD_CHANGED, current, 3);
        assertEquals(EVERY_FIELD_CHANGED, db.clusterSettings().load().orElseThrow());
    }

    @Test
    void savingBeforeTheClusterExistsFailsWithAReason() {
        long epoch = db.primaryRole().tryTakePrimary(PUBLISHER, 0).orElseThrow();

        DatabaseException e = assertThrows(DatabaseException.class,
                () -> db.clusterSettings().save(EVERY_FIELD_CHANGED, epoch, 2));
        assertTrue(e.getMessage().contains("not been created"), e.getMessage());
    }

    @Test
    void bi3_anAddressThatCannotBeStoredIsRefusedNamingTheField() {
        ClusterSettings comma = new ClusterSettings(true, true, 60_000, false, 10_000, false, HuntOrder.TOP_DOWN, 500,
                3_000, 3_000, false, List.of("a,b"));

        ConfigException e = assertThrows(ConfigException.class,
                () -> db.cluster().createIfAbsent(Integration.SIP_TRUNK, 2, comma, 1));
        assertEquals("cluster.settings.networkCheck", e.field());
        assertTrue(db.cluster().find().isEmpty());
    }
}
