package io.vmport.loadtest.sccp;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vmport.sccp.codec.SkinnyCodec;
import io.vmport.sccp.station.SccpStations;
import io.vmport.sccp.station.StationListener;
import io.vmport.sccp.station.StationSession;
import io.vmport.sccp.station.StationSettings;
import io.vmport.sccp.station.StationState;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for the two servers' SCCP side without an engine: N station sessions per server that answer every
 * call they are rung with and go on hook when the phone system hangs up. Per server they can be unregistered
 * (Stop Taking Calls, SPEC CA-4), registered again (Take Calls), stopped (the node dies) and started again.
 */
public final class PortDeviceFarm implements AutoCloseable {
    /** The device names of {@code server}'s {@code n} port devices: {@code VMP-PUB-0001} or {@code VMP-SUB-0001}. */
    public static List<String> deviceNames(String server, int n) {
        String prefix = server.equals("subscriber") ? "VMP-SUB" : server.equals("publisher") ? "VMP-PUB" : null;
        if (prefix == null) {
            throw new IllegalArgumentException("server " + server + "; allowed: publisher, subscriber");
        }
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            names.add(String.format("%s-%04d", prefix, i));
        }
        return names;
    }

    private final NioEventLoopGroup group;
    private final Map<String, List<StationSession>> byServer = new LinkedHashMap<>();

    /** Creates (does not start) {@code perServer} devices for each of publisher and subscriber. */
    public PortDeviceFarm(InetSocketAddress phoneSystem, int perServer, StationSettings settings, int threads) {
        if (perServer <= 0) {
            throw new IllegalArgumentException("perServer " + perServer + "; allowed: > 0");
        }
        group = new NioEventLoopGroup(threads, new DefaultThreadFactory("vmport-sccp-farm", true));
        SccpStations stations = new SccpStations(group, phoneSystem, settings, SkinnyCodec.DEFAULT_MAX_LENGTH);
        StationListener answering = StationListener.answeringEveryCall();
        for (String server : List.of("subscriber", "publisher")) {
            List<StationSession> list = new ArrayList<>();
            for (String name : deviceNames(server, perServer)) {
                list.add(stations.create(name, answering));
            }
            byServer.put(server, list);
        }
    }

    /** The sessions of {@code server}. */
    public List<StationSession> sessions(String server) {
        List<StationSession> list = byServer.get(server);
        if (list == null) {
            throw new IllegalArgumentException("server " + server + "; allowed: " + byServer.keySet());
        }
        return list;
    }

    /** Starts every device of both servers. */
    public void startAll() {
        byServer.values().forEach(l -> l.forEach(StationSession::start));
    }

    /** Starts {@code server}'s devices (after {@link #stop}: the node is back). */
    public void start(String server) {
        sessions(server).forEach(StationSession::start);
    }

    /** Closes {@code server}'s connections for good, as a node that dies. */
    public void stop(String server) {
        sessions(server).forEach(StationSession::stop);
    }

    /** Stop Taking Calls: unregisters {@code server}'s devices; calls in progress finish first. */
    public void unregister(String server) {
        sessions(server).forEach(StationSession::unregister);
    }

    /** Take Calls: registers {@code server}'s devices again. */
    public void register(String server) {
        sessions(server).forEach(StationSession::register);
    }

    /** How many of {@code server}'s devices are in {@code state}. */
    public long count(String server, StationState state) {
        return sessions(server).stream().filter(s -> s.state() == state).count();
    }

    /** A one-line summary of the devices' states per server, for failure messages. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        byServer.forEach((server, list) -> {
            Map<StationState, Integer> n = new LinkedHashMap<>();
            list.forEach(s -> n.merge(s.state(), 1, Integer::sum));
            b.append(server).append('=').append(n).append(' ');
        });
        return b.toString().trim();
    }

    @Override
    public void close() {
        byServer.values().forEach(l -> l.forEach(StationSession::stop));
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
