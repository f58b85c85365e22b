package io.vmport.engine.admin;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vmport.config.ServerName;
import io.vmport.engine.cluster.Cluster;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.pipeline.ClusterView;
import io.vmport.engine.routing.RefuseCause;
import io.vmport.engine.calls.CallOutcome;

/**
 * The node's Prometheus metrics, read from the {@link AdminBackend} at scrape time (nothing is pushed from the
 * pipeline):
 *
 * <pre>
 * vmport_calls_offered_total, vmport_calls_answered_total, vmport_calls_redirected_total
 * vmport_calls_refused_total{cause}
 * vmport_calls_in_progress{server}          vmport_ports_idle{server}
 * vmport_server_status{server,status}       1 for the server's status, 0 for the others
 * vmport_server_taking_calls{server}        vmport_server_draining{server}  (stopped taking calls, calls left)
 * vmport_pipeline_backlog                   events published but not through every stage
 * vmport_peer_connected                     vmport_peer_heartbeat_age_seconds (NaN before the first)
 * vmport_messages_stored_total             messages this node stored in the database (MS-1, MS-2)
 * vmport_mailboxes                          mailboxes in the cluster, as last counted (NaN before the first count)
 * </pre>
 */
public final class VmportMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AdminBackend backend;

    public VmportMetrics(AdminBackend backend) {
        this.backend = backend;
        FunctionCounter.builder("vmport.calls.offered", backend, b -> b.callCounts().offered())
                .description("calls offered to this node").register(registry);
        FunctionCounter.builder("vmport.calls.answered", backend, b -> b.callCounts().answered())
                .description("calls a port answered").register(registry);
        FunctionCounter.builder("vmport.calls.redirected", backend, b -> b.callCounts().redirected())
                .description("calls redirected to the other server (CA-1)").register(registry);
        for (RefuseCause cause : RefuseCause.values()) {
            refused(cause.name());
        }
        refused(CallOutcome.FAILED.name());
        for (ServerName server : ServerName.values()) {
            String s = server.configName();
            Gauge.builder("vmport.calls.in.progress", backend, b -> calls(b, server))
                    .tag("server", s).description("calls ringing or connected on the server's ports")
                    .register(registry);
            Gauge.builder("vmport.ports.idle", backend, b -> idle(b, server)).tag("server", s)
                    .description("idle ports the server may answer on").register(registry);
            for (ServerStatus status : ServerStatus.values()) {
                Gauge.builder("vmport.server.status", backend, b -> view(b) != null
                                && view(b).status(server) == status ? 1 : 0)
                        .tags("server", s, "status", status.name())
                        .description("1 for the server's status, 0 for the others").register(registry);
            }
            Gauge.builder("vmport.server.taking.calls", backend, b -> view(b) != null
                            && view(b).server(server).takingCalls() ? 1 : 0)
                    .tag("server", s).description("1 when the server takes new calls (CA-4)").register(registry);
            Gauge.builder("vmport.server.draining", backend, b -> view(b) != null
                            && !view(b).server(server).takingCalls()
                            && calls(b, server) > 0 ? 1 : 0)
                    .tag("server", s).description("1 while the server takes no new call and still has calls")
                    .register(registry);
        }
        Gauge.builder("vmport.pipeline.backlog", backend, AdminBackend::pipelineBacklog)
                .description("events published into the pipeline but not yet through every stage")
                .register(registry);
        Gauge.builder("vmport.peer.connected", backend, b -> view(b) != null && view(b).peerConnected() ? 1 : 0)
                .description("1 while heartbeats from the peer arrive").register(registry);
        FunctionCounter.builder("vmport.messages.stored", backend, AdminBackend::messagesStored)
                .description("messages this node stored in the database (MS-1, MS-2)").register(registry);
        Gauge.builder("vmport.mailboxes", backend, VmportMetrics::mailboxes)
                .description("mailboxes in the cluster, counted at most every few seconds (MS-3)").register(registry);
        Gauge.builder("vmport.peer.heartbeat.age", backend, VmportMetrics::heartbeatAgeSeconds).baseUnit("seconds")
                .description("time since the last heartbeat from the peer (ST-11)").register(registry);
    }

    private void refused(String cause) {
        FunctionCounter.builder("vmport.calls.refused", backend,
                        b -> b.callCounts().refusedByCause().getOrDefault(cause, 0L))
                .tag("cause", cause).description("calls refused, by cause (CA-1, CA-2)").register(registry);
    }

    private static ClusterView view(AdminBackend b) {
        return b.clusterView();
    }

    /** Calls in progress on the server: this node's own from its monitor, the peer's as its heartbeats say. */
    private static int calls(AdminBackend b, ServerName server) {
        ClusterView view = view(b);
        return view == null ? b.monitorSnapshot().callsInProgress(server)
                : view.callsInProgress(server, b.monitorSnapshot());
    }

    private static double idle(AdminBackend b, ServerName server) {
        return JsonViews.PortCounts.of(b.portPlan(), b.monitorSnapshot(), server).idle();
    }

    private static double mailboxes(AdminBackend b) {
        long n = b.mailboxes().map(m -> m.mailboxCount(b.nowNs())).orElse(-1L);
        return n < 0 ? Double.NaN : n;
    }

    private static double heartbeatAgeSeconds(AdminBackend b) {
        ClusterView v = b.clusterView();
        if (v == null || v.lastHeartbeatNs() == Cluster.NEVER) {
            return Double.NaN;
        }
        return Math.max(0, b.nowNs() - v.lastHeartbeatNs()) / 1e9;
    }

    /** The metrics in Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    /** The registry, for a node that adds its own meters (JVM, SIP). */
    public PrometheusMeterRegistry registry() {
        return registry;
    }
}
