package io.vmport.engine.peer;

import io.vmport.config.ClusterSettings;
import io.vmport.engine.retry.Backoff;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.vmport.config.ServerName.PUBLISHER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The link's reconnection backoff (its values) and its configuration checks. */
class BackoffAndConfigTest {

    @Test
    void backoff_doublesFrom50msTo2s_andStartsOverAfterReset() {
        Backoff b = new Backoff(PeerLink.BACKOFF_INITIAL_MS, PeerLink.BACKOFF_MAX_MS, PeerLink.BACKOFF_JITTER,
                () -> 0.5); // the middle of the spread: no jitter
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            delays.add(b.nextDelayMs());
        }
        assertEquals(List.of(50L, 100L, 200L, 400L, 800L, 1600L, 2000L, 2000L, 2000L), delays, "never gives up");
        b.reset();
        assertEquals(50, b.nextDelayMs());
    }

    @Test
    void config_refusesBadValuesNamingFieldAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PeerTestKit.config(PUBLISHER, 7400, 7401, 5, 1_000, 1_000, 1_000));
        assertTrue(e.getMessage().contains("heartbeatIntervalMs") && e.getMessage().contains("not 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PeerTestKit.config(PUBLISHER, 7400, 7401, 500, 900, 1_000, 1_000));
        assertTrue(e.getMessage().contains("localHeartbeatTimeoutMs must be 1000..") && e.getMessage().contains("900"),
                "ST-11: a timeout shorter than two intervals is refused: " + e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PeerTestKit.config(PUBLISHER, 7400, 7400, 500, 1_000, 1_000, 1_000));
        assertTrue(e.getMessage().contains("127.0.0.1:7400"), e.getMessage());
    }

    @Test
    void config_fromClusterSettings_takesTheSt11Values() {
        PeerLinkConfig c = PeerLinkConfig.of(PUBLISHER, PeerTestKit.loopback(7400), PeerTestKit.loopback(7401),
                ClusterSettings.defaults());
        assertEquals(500, c.heartbeatIntervalMs());
        assertEquals(3_000, c.localHeartbeatTimeoutMs());
        assertEquals(3_000, c.remoteHeartbeatTimeoutMs());
        assertEquals(PeerLinkConfig.DEFAULT_ACTION_TIMEOUT_MS, c.actionTimeoutMs());
    }

    @Test
    void start_onAnAddressInUse_failsNamingIt() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            PeerLink link = new PeerLink(PeerTestKit.config(PUBLISHER, port, PeerTestKit.freePort(), 100, 1_000,
                    1_000, 1_000), new PeerTestKit.RecordingListener(),
                    new PeerTestKit.TestSource(io.vmport.engine.cluster.ServerStatus.PRIMARY, 1), System::nanoTime);
            PeerLinkException e = assertThrows(PeerLinkException.class, link::start);
            assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
            link.stop();
        }
    }
}
