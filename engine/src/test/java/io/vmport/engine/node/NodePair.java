package io.vmport.engine.node;

import io.vmport.config.testing.LoopbackPorts;
import io.vmport.config.testing.Poll;

import io.vmport.config.ClusterBootstrap;
import io.vmport.config.ClusterSettings;
import io.vmport.config.HostPort;
import io.vmport.config.HuntOrder;
import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import io.vmport.config.db.Database;
import io.vmport.config.db.TestDatabase;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.pipeline.ClusterView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A publisher and a subscriber on one fresh test database, on free loopback ports. */
final class NodePair implements AutoCloseable {
    final Database database;
    final Node publisher;
    Node subscriber;
    final int publisherSip;
    final int subscriberSip;

    private NodePair(Database database, Node publisher, Node subscriber, int publisherSip, int subscriberSip) {
        this.database = database;
        this.publisher = publisher;
        this.subscriber = subscriber;
        this.publisherSip = publisherSip;
        this.subscriberSip = subscriberSip;
    }

    /**
     * Starts both nodes, publisher first, with 2 x {@code portsPerServer} SIP trunk ports, and waits (15 s at most)
     * until both see ST-1: publisher PRIMARY, subscriber SECONDARY, the peer link up.
     */
    static NodePair start(int portsPerServer) throws IOException {
        return start(portsPerServer, Optional.empty());
    }

    /** As {@link #start(int)}, with the cluster setting {@code mwiTarget} (MW-1). */
    static NodePair start(int portsPerServer, Optional<HostPort> mwiTarget) throws IOException {
        return start(portsPerServer, mwiTarget, io.vmport.engine.mwi.MwiService.DEFAULT_RECONCILE_INTERVAL_MS);
    }

    /** As {@link #start(int, Optional)}, the PRIMARY's MWI reconcile every {@code mwiReconcileMs} (MW-1). */
    static NodePair start(int portsPerServer, Optional<HostPort> mwiTarget, long mwiReconcileMs) throws IOException {
        NodePair pair = startNodes(portsPerServer, mwiTarget, mwiReconcileMs);
        try {
            Poll.await("ST-1 on both nodes", 15_000, pair::settled, pair::describe);
            return pair;
        } catch (RuntimeException | Error e) {
            pair.close();
            throw e;
        }
    }

    private static NodePair startNodes(int portsPerServer, Optional<HostPort> mwiTarget, long mwiReconcileMs)
            throws IOException {
        Database db = TestDatabase.openFresh();
        ClusterSettings s = ClusterSettings.defaults();
        // faster heartbeats than the default, so the pair meets quickly; the rest as SPEC defaults
        ClusterSettings fast = new ClusterSettings(s.autoFailover(), s.autoFailback(), s.failbackHoldDownMs(),
                s.deactivateOnBacklog(), s.replicationBacklogLimit(), s.absorbPeerPortsOnFailover(),
                HuntOrder.TOP_DOWN, 100, 2_000, 2_000, false, List.of("127.0.0.1")).withMwiTarget(mwiTarget);
        ClusterBootstrap cluster = new ClusterBootstrap(Integration.SIP_TRUNK, 2 * portsPerServer, fast);
        int pubSip = LoopbackPorts.freeUdpAndTcp();
        int subSip = LoopbackPorts.freeUdpAndTcp();
        int pubPeer = LoopbackPorts.freeTcp();
        int subPeer = LoopbackPorts.freeTcp();
        Path dir = Path.of("unused-embedded-dir");
        Node pub = null;
        try {
            pub = Node.start(DemoCluster.config(ServerName.PUBLISHER, pubSip, LoopbackPorts.freeTcp(), pubPeer, subPeer, "t0ken",
                    dir, cluster), db, mwiReconcileMs);
            Node sub = Node.start(DemoCluster.config(ServerName.SUBSCRIBER, subSip, LoopbackPorts.freeTcp(), subPeer, pubPeer,
                    "t0ken", dir, cluster), db, mwiReconcileMs);
            return new NodePair(db, pub, sub, pubSip, subSip);
        } catch (RuntimeException e) {
            if (pub != null) {
                pub.close();
            }
            db.close();
            throw e;
        }
    }

    /** Stops the subscriber and starts it again with the same configuration, on the same database. */
    void restartSubscriber() {
        subscriber.close();
        subscriber = Node.start(subscriber.config(), database);
    }

    /** ST-1 as both nodes see it: publisher PRIMARY, subscriber SECONDARY, the peer link up on both. */
    boolean settled() {
        return settled(publisher.clusterView()) && settled(subscriber.clusterView());
    }

    private static boolean settled(ClusterView v) {
        return v.peerConnected() && v.status(ServerName.PUBLISHER) == ServerStatus.PRIMARY
                && v.status(ServerName.SUBSCRIBER) == ServerStatus.SECONDARY;
    }

    String describe() {
        return "publisher sees " + publisher.clusterView() + "\nsubscriber sees " + subscriber.clusterView();
    }

    @Override
    public void close() {
        subscriber.close();
        publisher.close();
        database.close();
    }

}
