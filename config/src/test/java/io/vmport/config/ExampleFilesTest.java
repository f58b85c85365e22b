package io.vmport.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap files in config/examples are documentation for administrators (SPEC CL-2): they must load
 * as written and describe one cluster of two hosts.
 */
class ExampleFilesTest {
    // Surefire runs in the module directory.
    private static final Path EXAMPLES = Path.of("examples");

    @Test
    void cl2_publisherAndSubscriberExamplesLoadAndFormOneCluster() {
        NodeConfig publisher = NodeConfigLoader.load(EXAMPLES.resolve("publisher.yaml"));
        NodeConfig subscriber = NodeConfigLoader.load(EXAMPLES.resolve("subscriber.yaml"));

        assertEquals(ServerName.PUBLISHER, publisher.server());
        assertEquals(ServerName.SUBSCRIBER, subscriber.server());
        // the peers point at each other, from two hosts
        assertEquals(publisher.peer().listen(), subscriber.peer().address());
        assertEquals(subscriber.peer().listen(), publisher.peer().address());
        assertNotEquals(publisher.sip().host(), subscriber.sip().host());
        // one shared, external database
        assertFalse(publisher.database().isEmbedded());
        assertEquals(publisher.database(), subscriber.database());
        // whichever starts first creates the same cluster
        assertEquals(publisher.cluster(), subscriber.cluster());
        assertEquals(publisher.sip().allow(), subscriber.sip().allow());
        assertEquals(publisher.admin().token(), subscriber.admin().token());
        // MD-1: each node's RTP binds on its own host
        assertEquals(publisher.sip().host(), publisher.media().host());
        assertEquals(subscriber.sip().host(), subscriber.media().host());
    }

    /** Issue 18: the Galera example, each node's own Galera node first, the same three nodes. */
    @Test
    void cl2_galeraExamplesLoad_eachOnItsOwnGaleraNodeFirst() {
        NodeConfig publisher = NodeConfigLoader.load(EXAMPLES.resolve("galera/publisher.yaml"));
        NodeConfig subscriber = NodeConfigLoader.load(EXAMPLES.resolve("galera/subscriber.yaml"));

        JdbcUrl pub = JdbcUrl.parse("database.url", publisher.database().url());
        JdbcUrl sub = JdbcUrl.parse("database.url", subscriber.database().url());
        assertEquals(3, pub.hosts().size());
        assertEquals(publisher.sip().host(), pub.hosts().get(0).host(), "the publisher's own node first");
        assertEquals(subscriber.sip().host(), sub.hosts().get(0).host(), "the subscriber's own node first");
        assertEquals(java.util.Set.copyOf(pub.hosts()), java.util.Set.copyOf(sub.hosts()), "the same cluster");
        assertEquals(publisher.peer().listen(), subscriber.peer().address());
        assertEquals(publisher.cluster(), subscriber.cluster());
        assertEquals(DatabaseTimeouts.DEFAULTS, publisher.database().timeouts(), "BI-4: the documented defaults");
        assertEquals(DatabaseTimeouts.DEFAULTS, subscriber.database().timeouts(), "BI-4: the documented defaults");
    }
}
