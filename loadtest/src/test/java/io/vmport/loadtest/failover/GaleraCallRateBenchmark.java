package io.vmport.loadtest.failover;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.db.DatabaseSettings;
import io.vmport.config.db.GaleraCluster;
import io.vmport.config.db.TestDatabase;
import io.vmport.config.testing.LoopbackPorts;
import io.vmport.config.testing.Poll;
import io.vmport.loadtest.sipp.SippRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 18's call setup figure, run by name only (not a *Test: mvn verify skips it), after building the engine jar:
 * {@code mvn -B -q -o -pl loadtest -am test -Dtest=GaleraCallRateBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>The two {@code vmport node} processes on a three-node Galera cluster (each on its own node first) and on the
 * single test MariaDB, alternately, {@value #ROUNDS} rounds each: SIPp offers {@value #CALLS} calls at
 * {@value #RATE} calls/s to the publisher; printed per round the calls per second that completed (setup and
 * teardown) and the failures. Lines start with {@code GALERA-RATE}.
 */
class GaleraCallRateBenchmark {
    private static final int ROUNDS = 2;
    private static final int CALLS = 6_000;
    private static final double RATE = 1_000;

    @Test
    void callSetupRate_galeraAgainstASingleDatabase() throws Exception {
        GaleraCluster.requireOrSkip();
        assertTrue(SippRun.onPath(), "sipp is needed");
        Path jar = Path.of(System.getProperty("vmport.jar", "../engine/target/vmport.jar")).toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(jar), "no engine jar at " + jar);
        Path work = Path.of("target", "galera-rate").toAbsolutePath();
        List<String> lines = new ArrayList<>();
        try (GaleraCluster galera = GaleraCluster.start(work.resolve("galera"), 3)) {
            for (int round = 1; round <= ROUNDS; round++) {
                for (boolean onGalera : new boolean[] {false, true}) {
                    String db = onGalera ? galera.createDatabase() : null;
                    DatabaseSettings pubDb = onGalera ? galera.settings(db, 1) : TestDatabase.freshDatabase();
                    DatabaseSettings subDb = onGalera ? galera.settings(db, 2) : pubDb;
                    SippRun.Result r = run(jar, work.resolve((onGalera ? "galera-" : "single-") + round), pubDb,
                            subDb);
                    String line = String.format("GALERA-RATE round %d %s: %d calls offered at %.0f/s, %d completed, "
                            + "%d failed, %.1f calls/s completed", round, onGalera ? "galera" : "single", CALLS, RATE,
                            r.successful(), r.failed(), r.successful() / r.wallSeconds());
                    System.out.println(line);
                    lines.add(line);
                }
            }
        }
        Files.write(work.resolve("rates.txt"), lines);
    }

    private static SippRun.Result run(Path jar, Path work, DatabaseSettings pubDb, DatabaseSettings subDb)
            throws Exception {
        int pubPeer = LoopbackPorts.freeTcp();
        int subPeer = LoopbackPorts.freeTcp();
        try (NodeProcess pub = GaleraKillTest.nodeProcess(jar, work, "publisher", pubDb.jdbcUrl(), pubDb.user(),
                pubDb.password(), pubPeer, subPeer);
             NodeProcess sub = GaleraKillTest.nodeProcess(jar, work, "subscriber", subDb.jdbcUrl(), subDb.user(),
                     subDb.password(), subPeer, pubPeer)) {
            pub.start();
            Poll.await("the publisher answers", 60_000, () -> pub.cluster() != null, pub::logTail);
            sub.start();
            Poll.await("ST-1 on both nodes", 60_000, () -> NodeProcess.settled(pub.cluster())
                    && NodeProcess.settled(sub.cluster()), () -> pub.logTail() + "\n----\n" + sub.logTail());
            return new SippRun("127.0.0.1", pub.sipPort).scenario(GaleraKillTest.scenario("basic-call.xml"))
                    .name("rate").service("answer").calls(CALLS).rate(RATE).holdMs(0).limit(24).timeoutSeconds(120)
                    .run(work.resolve("sipp"));
        }
    }
}
