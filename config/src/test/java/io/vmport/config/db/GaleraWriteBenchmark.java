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
 * Galera cluster through node 1 and on the single test MariaDB, in interleaved rounds so that both see the same
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
             Database onGalera = Database.open(galera.settings(galera.createDatabase(), 1));
             Database single = TestDatabase.openFresh()) {
            long[] galeraNs = new long[ROUNDS * SINGLES_PER_ROUND];
            long[] singleNs = new long[ROUNDS * SINGLES_PER_ROUND];
            double galeraRate = 0;
            double singleRate = 0;
            double galeraBigRate = 0;
            double singleBigRate = 0;
            int seq = 0;
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < SINGLES_PER_ROUND; i++) {
                    int k = round * SINGLES_PER_ROUND + i;
                    galeraNs[k] = timeOne(onGalera, "g" + seq);
                    singleNs[k] = timeOne(single, "s" + seq++);
                }
                galeraRate += batchRate(onGalera, "gb" + round, BATCH);
                singleRate += batchRate(single, "sb" + round, BATCH);
                galeraBigRate += batchRate(onGalera, "gB" + round, BIG_BATCH);
                singleBigRate += batchRate(single, "sB" + round, BIG_BATCH);
            }
            Arrays.sort(galeraNs);
            Arrays.sort(singleNs);
            System.out.printf("GALERA-BENCH one-record batch latency, %d each, interleaved: galera p50 %.2f ms p99 "
                    + "%.2f ms; single p50 %.2f ms p99 %.2f ms%n", galeraNs.length, ms(galeraNs, 50), ms(galeraNs, 99),
                    ms(singleNs, 50), ms(singleNs, 99));
            System.out.printf("GALERA-BENCH records/s in batches of %d: galera %.0f, single %.0f, ratio %.2f%n",
                    BATCH, galeraRate / ROUNDS, singleRate / ROUNDS, galeraRate / singleRate);
            System.out.printf("GALERA-BENCH records/s in batches of %d: galera %.0f, single %.0f, ratio %.2f%n",
                    BIG_BATCH, galeraBigRate / ROUNDS, singleBigRate / ROUNDS, galeraBigRate / singleBigRate);
            assertEquals(ROUNDS * (SINGLES_PER_ROUND + BATCHES_PER_ROUND * (BATCH + BIG_BATCH)),
                    onGalera.callRecords().count());
        }
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
