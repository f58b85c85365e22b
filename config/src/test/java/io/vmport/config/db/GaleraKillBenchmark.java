package io.vmport.config.db;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.db.GaleraCluster.FailureDetection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 18's kill figure, Galera's own part, run by name only (not a *Test: mvn verify skips it):
 * {@code mvn -B -q -o -pl config test -Dtest=GaleraKillBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>Two three-node clusters at once, both with {@code evs.suspect_timeout} {@value #SUSPECT_MS} ms: one with the
 * harness's earlier timers (Galera's 1 s join resend, checks at a fifth of the suspicion), one with the tested
 * setting of {@link FailureDetection#suspectAfter}. In interleaved rounds, node 2 of each is killed with -9 while
 * node 1 takes one-row commits back to back ({@link GaleraStallWatch}): printed per kill, the time until node 1
 * commits again and until node 3's view has dropped node 2; then node 2 rejoins by IST for the next round.
 */
class GaleraKillBenchmark {
    static final long SUSPECT_MS = Long.getLong("galera.suspectMs", 1_000);
    private static final int ROUNDS = Integer.getInteger("galera.kills", 5);

    @Test
    void killANode_writesResume_galeraJoinResendAgainstTheTestedTimers() throws Exception {
        GaleraCluster.requireOrSkip();
        Path dir = Path.of("target", "galera-kill-bench");
        List<Variant> variants = List.of(
                new Variant("join resend 1 s (Galera's), check " + SUSPECT_MS / 5 + " ms",
                        FailureDetection.joinResendOfGalera(SUSPECT_MS)),
                new Variant("join resend and check " + FailureDetection.suspectAfter(SUSPECT_MS).joinRetransMs()
                        + " ms (tested)", FailureDetection.suspectAfter(SUSPECT_MS)));
        try {
            for (int i = 0; i < variants.size(); i++) {
                variants.get(i).start(dir.resolve("c" + i));
            }
            for (int round = 1; round <= ROUNDS; round++) {
                for (Variant v : variants) {
                    v.killOnce();
                    System.out.printf("GALERA-KILL-BENCH round %d, suspect %d ms, %s: writes resumed %d ms, view %d "
                            + "ms after the kill%n", round, SUSPECT_MS, v.name, v.resumedMs.get(round - 1),
                            v.viewMs.get(round - 1));
                }
            }
            for (Variant v : variants) {
                System.out.printf("GALERA-KILL-BENCH suspect %d ms, %s: writes resumed after %s ms (median %d)%n",
                        SUSPECT_MS, v.name, v.resumedMs.stream().map(String::valueOf).collect(Collectors.joining(
                                ", ")), v.resumedMs.stream().sorted().toList().get(v.resumedMs.size() / 2));
                assertTrue(v.resumedMs.stream().allMatch(ms -> ms >= SUSPECT_MS),
                        "no write resumes before the dead node is suspected: " + v.resumedMs);
            }
        } finally {
            for (Variant v : variants) {
                v.close();
            }
        }
    }

    private static final class Variant implements AutoCloseable {
        final String name;
        final FailureDetection detection;
        final List<Long> resumedMs = new ArrayList<>();
        final List<Long> viewMs = new ArrayList<>();
        GaleraCluster galera;
        GaleraStallWatch watch;

        Variant(String name, FailureDetection detection) {
            this.name = name;
            this.detection = detection;
        }

        void start(Path dir) throws Exception {
            galera = GaleraCluster.start(dir, 3, detection);
            watch = new GaleraStallWatch(galera, galera.createDatabase(), 1, 3);
        }

        void killOnce() {
            watch.killed(System.nanoTime());
            galera.kill(2);
            watch.await(30_000);
            resumedMs.add(watch.commitResumedMs());
            viewMs.add(watch.viewChangedMs());
            galera.restart(2);
            galera.awaitSynced(2, 3);
        }

        @Override
        public void close() {
            if (watch != null) {
                watch.close();
            }
            if (galera != null) {
                galera.close();
            }
        }
    }
}
