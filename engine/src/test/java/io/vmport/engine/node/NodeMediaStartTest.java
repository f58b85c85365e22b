package io.vmport.engine.node;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.ClusterBootstrap;
import io.vmport.config.ClusterSettings;
import io.vmport.config.Integration;
import io.vmport.config.MediaConfig;
import io.vmport.config.NodeConfig;
import io.vmport.config.ServerName;
import io.vmport.config.db.Database;
import io.vmport.config.db.TestDatabase;
import io.vmport.config.testing.LoopbackPorts;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** SPEC MD-1: a node whose RTP range cannot bind does not start, and says where and why. */
class NodeMediaStartTest {

    @Test
    void md1_mediaPlaneThatCannotBindStopsTheNodeNamingHostRangeAndCause() throws Exception {
        NodeConfig loopback = DemoCluster.config(ServerName.PUBLISHER, LoopbackPorts.freeUdpAndTcp(),
                LoopbackPorts.freeTcp(), LoopbackPorts.freeTcp(), LoopbackPorts.freeTcp(), "t0ken",
                Path.of("unused-embedded-dir"), new ClusterBootstrap(Integration.SIP_TRUNK, 4,
                        ClusterSettings.defaults()));
        // 192.0.2.1 (TEST-NET-1) is no address of this host: nothing binds there
        NodeConfig config = new NodeConfig(loopback.server(), loopback.sip(), loopback.admin(), loopback.peer(),
                loopback.database(), loopback.logLevel(), loopback.cluster(), new MediaConfig("192.0.2.1", 20_000,
                20_099));
        try (Database db = TestDatabase.openFresh()) {
            NodeStartException e = assertThrows(NodeStartException.class, () -> Node.start(config, db));

            String m = e.getMessage();
            assertTrue(m.contains("publisher") && m.contains("192.0.2.1") && m.contains("20000-20099"), m);
            assertTrue(m.contains("bind"), "the cause: " + m);
        }
    }
}
