package io.vmport.engine.ports;

import io.vmport.config.ConfigException;
import io.vmport.config.Integration;
import io.vmport.config.ServerName;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The voice-messaging ports of the cluster, derived from the integration and N, the number of ports the traffic
 * needs (SPEC section 3, PT-1). Immutable and validated.
 *
 * <pre>
 * integration  ports                               global indexes
 * SCCP         N devices per server (2N in all)    publisher 0..N-1, subscriber N..2N-1
 * SIP trunk    N/2 per server, odd N: +1 publisher publisher 0..ceil(N/2)-1, subscriber the rest
 * other SIP    as SIP trunk
 * PIMG/TIMG    N shared ports                      0..N-1 = gateway ports 1..N
 * </pre>
 *
 * The ports of one owner have contiguous indexes ({@link #firstIndex}, {@link #count}).
 */
public final class PortPlan {

    /** The largest N accepted: SCCP then has a million port devices. */
    public static final int MAX_N = 500_000;

    private final Integration integration;
    private final int n;
    private final Port[] ports;
    private final int[] firstIndex = new int[PortOwner.values().length];
    private final int[] count = new int[PortOwner.values().length];

    private PortPlan(Integration integration, int n, Port[] ports) {
        this.integration = integration;
        this.n = n;
        this.ports = ports;
        for (int i = ports.length - 1; i >= 0; i--) {
            int o = ports[i].owner().ordinal();
            firstIndex[o] = i;
            count[o]++;
        }
    }

    /** The default plan: every port enabled, with every capability (PT-1). */
    public static PortPlan of(Integration integration, int n) {
        Objects.requireNonNull(integration, "integration");
        checkN(integration, n);
        List<Port> ports = new ArrayList<>();
        switch (integration) {
            case SCCP:
                addServerPorts(ports, integration, PortOwner.PUBLISHER, n);
                addServerPorts(ports, integration, PortOwner.SUBSCRIBER, n);
                break;
            case SIP_TRUNK:
            case OTHER_SIP:
                addServerPorts(ports, integration, PortOwner.PUBLISHER, n - n / 2);
                addServerPorts(ports, integration, PortOwner.SUBSCRIBER, n / 2);
                break;
            case PIMG:
                int width = width(n);
                for (int k = 1; k <= n; k++) {
                    ports.add(new Port(ports.size(), "pimg-" + pad(k, width), PortOwner.SHARED, integration, k,
                            true, true, true, true));
                }
                break;
            default:
                throw new IllegalStateException("unknown integration " + integration);
        }
        return new PortPlan(integration, n, ports.toArray(new Port[0]));
    }

    /**
     * A plan from stored ports (names, enabled flags and capabilities as the administrator left them). The ports
     * must have the shape that {@link #of(Integration, int)} derives: same count, order, owners and numbers.
     */
    public static PortPlan of(Integration integration, int n, List<Port> stored) {
        PortPlan shape = of(integration, n);
        Objects.requireNonNull(stored, "ports");
        if (stored.size() != shape.size()) {
            throw new ConfigException("ports", stored.size() + " ports",
                    shape.size() + " ports for " + integration.configName() + " with N=" + n);
        }
        Port[] ports = new Port[stored.size()];
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.length; i++) {
            Port p = Objects.requireNonNull(stored.get(i), "ports[" + i + "]");
            Port expected = shape.port(i);
            if (p.index() != i || p.owner() != expected.owner() || p.number() != expected.number()
                    || p.integration() != integration) {
                throw new ConfigException("ports[" + i + "]", p,
                        "index " + i + ", owner " + expected.owner().configName() + ", number " + expected.number()
                                + ", integration " + integration.configName());
            }
            if (!names.add(p.name())) {
                throw new ConfigException("ports[" + i + "].name", p.name(), "a name no other port has");
            }
            ports[i] = p;
        }
        return new PortPlan(integration, n, ports);
    }

    private static void checkN(Integration integration, int n) {
        boolean split = integration == Integration.SIP_TRUNK || integration == Integration.OTHER_SIP;
        int min = split ? 2 : 1;
        if (n < min || n > MAX_N) {
            throw new ConfigException("cluster.ports", n, "an integer from " + min + " to " + MAX_N + " for "
                    + integration.configName() + (split ? " (each server needs at least one port)" : ""));
        }
    }

    private static void addServerPorts(List<Port> ports, Integration integration, PortOwner owner, int perServer) {
        String prefix = (owner == PortOwner.PUBLISHER ? "pub-" : "sub-") + kind(integration) + "-";
        int width = width(perServer);
        for (int k = 1; k <= perServer; k++) {
            ports.add(new Port(ports.size(), prefix + pad(k, width), owner, integration, k, true, true, true, true));
        }
    }

    private static String kind(Integration integration) {
        switch (integration) {
            case SCCP: return "sccp";
            case SIP_TRUNK: return "sip";
            case OTHER_SIP: return "osip";
            default: return "pimg";
        }
    }

    private static int width(int max) {
        return Math.max(3, Integer.toString(max).length());
    }

    private static String pad(int k, int width) {
        StringBuilder sb = new StringBuilder(width);
        String s = Integer.toString(k);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s).toString();
    }

    public Integration integration() {
        return integration;
    }

    /** N, the number of ports the traffic needs (what the plan was derived from). */
    public int n() {
        return n;
    }

    /** P, the number of ports in the plan (2N for SCCP, N otherwise). */
    public int size() {
        return ports.length;
    }

    public Port port(int index) {
        return ports[index];
    }

    public List<Port> ports() {
        return List.of(ports);
    }

    public PortOwner owner(int index) {
        return ports[index].owner();
    }

    /** Whether calls may be redirected between the servers (SIP trunk and other SIP: each server has its own ports). */
    public boolean isSplitSip() {
        return integration == Integration.SIP_TRUNK || integration == Integration.OTHER_SIP;
    }

    /** Whether the ports are shared by both servers (PIMG/TIMG). */
    public boolean isShared() {
        return integration == Integration.PIMG;
    }

    /** The lowest index of the owner's ports (meaningful when {@link #count} is not 0). */
    public int firstIndex(PortOwner owner) {
        return firstIndex[owner.ordinal()];
    }

    public int count(PortOwner owner) {
        return count[owner.ordinal()];
    }

    /** The number of ports that belong to the server itself (0 for PIMG, where every port is shared). */
    public int count(ServerName server) {
        return count[PortOwner.of(server).ordinal()];
    }

    /** The global index of PIMG gateway port {@code gatewayPort} (1..N), or -1 when there is none. */
    public int indexOfGatewayPort(int gatewayPort) {
        if (!isShared() || gatewayPort < 1 || gatewayPort > ports.length) {
            return -1;
        }
        return gatewayPort - 1;
    }

    /** The index of the port with this name, or -1 (linear: for configuration and admin use, not per call). */
    public int indexOf(String name) {
        for (Port p : ports) {
            if (p.name().equals(name)) {
                return p.index();
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "PortPlan[" + integration.configName() + ", N=" + n + ", publisher=" + count(PortOwner.PUBLISHER)
                + ", subscriber=" + count(PortOwner.SUBSCRIBER) + ", shared=" + count(PortOwner.SHARED) + "]";
    }
}
