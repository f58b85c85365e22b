package io.vmport.config;

import static io.vmport.config.ConfigAssertions.assertRefusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The database URL of a node (SPEC CL-2, BI-3): one server, or the nodes of a Galera cluster, own node first. */
class JdbcUrlTest {

    @Test
    void cl2_severalHosts_ownNodeFirst_portDefaultsTo3306() {
        JdbcUrl url = JdbcUrl.parse("database.url", "jdbc:mysql://db1:3307,10.0.0.6,[2001:db8::7]:3306/vmport?a=b");
        assertEquals(List.of(new HostPort("db1", 3307), new HostPort("10.0.0.6", 3306),
                new HostPort("2001:db8::7", 3306)), url.hosts());
        assertEquals("vmport", url.database());
        assertTrue(url.multiHost());
        assertEquals("jdbc:mysql://db1:3307/vmport?a=b", url.firstHostOnly());
        assertEquals("jdbc:mysql://db1:3307,10.0.0.6:3306,[2001:db8::7]:3306/vmport?a=b", url.toString());
        assertFalse(JdbcUrl.parse("database.url", "jdbc:mysql://db1/vmport").multiHost());
    }

    @Test
    void bi3_badHostLists_areRefusedNamingFieldValueAndWhatIsAllowed() {
        for (String bad : new String[] {"jdbc:mysql:///vmport", "jdbc:mysql://db1:3306", "jdbc:mysql://db1:3306/",
                "jdbc:mysql://db1:3306,,db2:3306/vmport", "jdbc:mysql://db1:99999/vmport", "jdbc:mysql://db 1/vmport",
                "jdbc:mysql://db1,db2,db3,db4,db5,db6,db7,db8,db9,db10/vmport"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> JdbcUrl.parse("database.url", bad), bad);
            assertRefusal(e, "database.url", bad, "jdbc:mysql://HOST[:PORT][,HOST[:PORT]...]/DATABASE");
        }
        String twice = "jdbc:mysql://db1:3306,db2,DB1/vmport";
        assertRefusal(assertThrows(ConfigException.class, () -> JdbcUrl.parse("database.url", twice)),
                "database.url", twice, "db1:3306 is given twice");
    }

    /** A connection that failed over to another Galera node must go on writing. */
    @Test
    void bi3_failOverReadOnlyWithSeveralHosts_isRefused() {
        String url = "jdbc:mysql://db1,db2/vmport?connectTimeout=2000&failOverReadOnly=true";
        assertRefusal(assertThrows(ConfigException.class, () -> JdbcUrl.parse("database.url", url)),
                "database.url", url, JdbcUrl.READ_ONLY_ALLOWED);
        assertFalse(JdbcUrl.parse("database.url", "jdbc:mysql://db1/vmport?failOverReadOnly=true").multiHost());
    }

    @Test
    void bi3_theNodeFileRefusesABadGaleraUrl() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> DatabaseConfig.external("jdbc:mysql://db1,db1/vmport", "vmport", "pw", 10));
        assertRefusal(e, "database.url", "jdbc:mysql://db1,db1/vmport", "is given twice");
        assertEquals("jdbc:mysql://db1,db2,db3/vmport",
                DatabaseConfig.external("jdbc:mysql://db1,db2,db3/vmport", "vmport", "pw", 10).url());
    }
}
