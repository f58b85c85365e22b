package io.vmport.loadtest.sccp;

import io.vmport.sccp.codec.SkinnyCodec;
import io.vmport.sccp.sim.PhoneSystemSimulator;
import io.vmport.sccp.sim.SimSettings;
import io.vmport.sccp.station.StationSettings;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The phone-system simulator and 2 x N answering port devices in one JVM, without an engine: registration time
 * of all devices, then call offers at rising rates, each step reporting answered and unanswered calls. What the
 * SCCP path itself (codec, sessions, simulator) can carry on this machine; the engine's figures come on top.
 * <pre>
 * java -cp loadtest/target/benchmarks.jar io.vmport.loadtest.sccp.SccpSimulatorRun \
 *     [--devices-per-server 500] [--rates 100,200,400] [--seconds 10] [--hold-ms 1000] [--ring-timeout-ms 4000]
 * </pre>
 */
public final class SccpSimulatorRun {
    private SccpSimulatorRun() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i], args[i + 1]);
        }
        int perServer = Integer.parseInt(opt.getOrDefault("--devices-per-server", "500"));
        int seconds = Integer.parseInt(opt.getOrDefault("--seconds", "10"));
        long holdMs = Long.parseLong(opt.getOrDefault("--hold-ms", "1000"));
        long ringTimeoutMs = Long.parseLong(opt.getOrDefault("--ring-timeout-ms", "4000"));
        String[] rates = opt.getOrDefault("--rates", "100,200,400").split(",");

        try (PhoneSystemSimulator sim = new PhoneSystemSimulator(
                new SimSettings(30, ringTimeoutMs, holdMs, SkinnyCodec.DEFAULT_MAX_LENGTH),
                PhoneSystemSimulator.subscriberFirst(PortDeviceFarm.deviceNames("subscriber", perServer),
                        PortDeviceFarm.deviceNames("publisher", perServer)))) {
            InetSocketAddress at = sim.start(new InetSocketAddress("127.0.0.1", 0));
            try (PortDeviceFarm farm = new PortDeviceFarm(at, perServer, StationSettings.DEFAULTS, 2)) {
                long t0 = System.nanoTime();
                farm.startAll();
                long deadline = t0 + 60_000_000_000L;
                while (sim.registeredCount() < 2 * perServer && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(10_000_000L); // a run tool polling, not a test
                }
                System.out.printf(Locale.ROOT, "registration of 2 x %d devices: %.0f ms (%d registered)%n", perServer,
                        (System.nanoTime() - t0) / 1e6, sim.registeredCount());
                for (String r : rates) {
                    double rate = Double.parseDouble(r.trim());
                    CallLoad.Result result = CallLoad.run(sim, (int) (rate * seconds), rate, ringTimeoutMs * 4
                            + holdMs + 10_000);
                    System.out.printf(Locale.ROOT, "rate %.0f/s: %s%n", rate, result);
                    long settle = System.nanoTime() + (holdMs + 2_000) * 1_000_000L;
                    while (sim.callsInProgress() > 0 && System.nanoTime() < settle) {
                        LockSupport.parkNanos(10_000_000L); // a run tool polling, not a test
                    }
                }
            }
        }
    }
}
