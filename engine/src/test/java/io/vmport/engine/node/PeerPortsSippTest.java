package io.vmport.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vmport.config.ServerName;
import io.vmport.config.testing.Poll;
import io.vmport.engine.pipeline.MonitorSnapshot;
import io.vmport.engine.pipeline.PortSnapshot;
import io.vmport.engine.ports.PortState;
import io.vmport.sip.Sipp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ST-11, PM-1 over a real peer link: SIPp holds calls on each server, and the port monitor of either node shows
 * the calls of both servers, with the same call ids; when they end, both show none.
 */
class PeerPortsSippTest {
    private static final int PORTS_PER_SERVER = 8;

    @TempDir
    Path work;
    private NodePair pair;

    @BeforeEach
    void startPair() throws Exception {
        Sipp.requireOrSkip();
        pair = NodePair.start(PORTS_PER_SERVER);
    }

    @AfterEach
    void stopPair() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void st11_pm1_eachNodesPortMonitorShowsTheCallsOfBothServers() throws Exception {
        ExecutorService background = Executors.newFixedThreadPool(2);
        try {
            Future<Sipp.Result> onPub = background.submit(() -> Sipp.run("basic-call.xml", pair.publisherSip, "u1",
                    "answer", 3, 3_000, Files.createDirectories(work.resolve("pub"))));
            Future<Sipp.Result> onSub = background.submit(() -> Sipp.run("basic-call.xml", pair.subscriberSip, "u1",
                    "answer", 2, 3_000, Files.createDirectories(work.resolve("sub"))));
            Poll.await("3 + 2 calls up, seen by both nodes", 15_000,
                    () -> sees(pair.publisher, 3, 2) && sees(pair.subscriber, 3, 2),
                    () -> "publisher " + pair.publisher.monitorSnapshot() + "\nsubscriber "
                            + pair.subscriber.monitorSnapshot());
            assertEquals(callIds(pair.publisher.monitorSnapshot()), callIds(pair.subscriber.monitorSnapshot()),
                    "the same calls on both views");
            for (PortSnapshot p : pair.publisher.monitorSnapshot().ports()) {
                if (p.server() == ServerName.SUBSCRIBER) {
                    assertNotNull(p.caller(), "the peer's call carries its numbers: " + p);
                }
            }
            assertEquals(0, onPub.get(60, TimeUnit.SECONDS).failed());
            assertEquals(0, onSub.get(60, TimeUnit.SECONDS).failed());
            Poll.await("no call left on either view", 15_000,
                    () -> sees(pair.publisher, 0, 0) && sees(pair.subscriber, 0, 0),
                    () -> "publisher " + pair.publisher.monitorSnapshot() + "\nsubscriber "
                            + pair.subscriber.monitorSnapshot());
            assertEquals(2 * PORTS_PER_SERVER, pair.subscriber.monitorSnapshot().count(PortState.IDLE));
        } finally {
            background.shutdownNow();
        }
    }

    private static boolean sees(Node node, int publisherCalls, int subscriberCalls) {
        MonitorSnapshot m = node.monitorSnapshot();
        return m.callsInProgress(ServerName.PUBLISHER) == publisherCalls
                && m.callsInProgress(ServerName.SUBSCRIBER) == subscriberCalls
                && callIds(m).size() == publisherCalls + subscriberCalls;
    }

    private static Set<String> callIds(MonitorSnapshot m) {
        Set<String> ids = new TreeSet<>();
        for (PortSnapshot p : m.ports()) {
            if (p.callId() != null) {
                ids.add(p.server().configName() + ":" + p.callId());
            }
        }
        return ids;
    }
}
