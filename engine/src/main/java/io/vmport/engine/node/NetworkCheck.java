package io.vmport.engine.node;

import io.vmport.config.ServerName;
import io.vmport.config.db.Database;
import io.vmport.config.db.PrimaryRoleLease;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.pipeline.ClusterView;
import io.vmport.engine.pipeline.NodeReport;
import io.vmport.engine.pipeline.PipelineProducer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NETWORK_CHECK effect (ST-8): tries each check address (ICMP/echo via {@link InetAddress#isReachable}, then a
 * TCP connect to port 7). When the network is confirmed and the database shows the silent peer holding the PRIMARY
 * role, it waits until that holder's lease (its last renewal) is a heartbeat timeout old: a holder that renews
 * meanwhile is alive and only the link between the nodes is cut (no failover: {@link NodeReport.PeerHoldsRole}); a
 * database it cannot read does not stop the failover (ST-12).
 */
final class NetworkCheck {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkCheck.class);
    static final int CHECK_TIMEOUT_MS = 1_000;
    private static final int ECHO_PORT = 7;

    private final ServerName self;
    private final Database database;
    private final Supplier<PipelineProducer> producer;

    NetworkCheck(ServerName self, Database database, Supplier<PipelineProducer> producer) {
        this.self = self;
        this.database = database;
        this.producer = producer;
    }

    /** Runs the check with {@code view}'s addresses and reports its result to the cluster (class javadoc). */
    void run(ClusterView view) {
        boolean reachable = reachable(view.settings().networkCheck());
        if (reachable && view.status(self) != ServerStatus.PRIMARY) {
            long leaseMs = view.settings().localHeartbeatTimeoutMs();
            try {
                PrimaryRoleLease lease = database.primaryRole().lease();
                if (lease.role().isHeldBy(self.other()) && lease.ageMs() < leaseMs) {
                    NodeEffects.sleep(leaseMs - lease.ageMs() + 1); // the holder must renew within its lease
                    lease = database.primaryRole().lease();
                }
                if (lease.role().isHeldBy(self.other()) && lease.ageMs() < leaseMs) {
                    producer.get().report(new NodeReport.PeerHoldsRole(lease.ageMs()));
                    return;
                }
            } catch (RuntimeException e) {
                LOG.warn("{}: network confirmed but the database cannot say whether {} is alive ({}): the failover"
                        + " may lead to split brain (ST-12)", self.configName(), self.other().configName(),
                        e.getMessage());
            }
        }
        producer.get().networkCheckResult(reachable);
    }

    /** True when one of {@code addresses} answers; an empty list counts as reachable (nothing to check). */
    static boolean reachable(List<String> addresses) {
        if (addresses.isEmpty()) {
            return true;
        }
        for (String address : addresses) {
            try {
                InetAddress a = InetAddress.getByName(address);
                if (a.isReachable(CHECK_TIMEOUT_MS) || connects(a)) {
                    return true;
                }
            } catch (IOException e) {
                LOG.debug("network check {}: {}", address, e.toString());
            }
        }
        LOG.warn("network check: none of {} reachable", addresses);
        return false;
    }

    private static boolean connects(InetAddress a) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(a, ECHO_PORT), CHECK_TIMEOUT_MS);
            return true;
        } catch (IOException e) {
            // "connection refused" still proves the host answered
            return e instanceof ConnectException && e.getMessage() != null && e.getMessage().contains("refused");
        }
    }
}
