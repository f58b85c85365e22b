package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * MW-1 and MW-2 with SIPp as the PBX's MWI receiver ({@code sipp/mwi-receiver.xml} checks the NOTIFY's request
 * line, headers and body by regular expression and answers the status it is given; {@code sipp/mwi-silent.xml}
 * never answers). The trunk sends from its own UDP socket; everything on loopback, ephemeral ports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MwiSippTest {

    /** What the listener was told: failures given up. */
    private record Failed(MwiState state, int attempts, String lastOutcome) {
    }

    private final BlockingQueue<Failed> failures = new LinkedBlockingQueue<>();
    private SipTrunk trunk;
    private MwiNotifier notifier;
    private int pbxPort;

    @TempDir
    Path work;

    @BeforeAll
    void start() throws Exception {
        Sipp.requireOrSkip();
        trunk = new SipTrunk(SipTrunkSettings.of("127.0.0.1", TestPorts.freeUdpAndTcp(),
                InetAddress::isLoopbackAddress), new TestListener());
        trunk.start();
    }

    @AfterAll
    void stop() {
        if (trunk != null) {
            trunk.stop();
        }
    }

    @BeforeEach
    void pbx() throws Exception {
        pbxPort = TestPorts.freeUdpAndTcp();
        failures.clear();
    }

    @AfterEach
    void closeNotifier() {
        if (notifier != null) {
            notifier.close();
        }
    }

    private MwiNotifier notifier(MwiSettings settings) {
        notifier = trunk.mwiNotifier(settings, (state, attempts, last) -> failures.add(new Failed(state, attempts,
                last)));
        return notifier;
    }

    @Test
    void mw1NotifyCarriesRfc3842HeadersAndBodyAndCountsTheAnswer() throws Exception {
        try (Sipp.Running pbx = Sipp.startUas("mwi-receiver.xml", pbxPort, 1, work,
                "status", "200", "ext", "1001", "waiting", "yes", "counts", "2/1")) {
            notifier(MwiSettings.of("127.0.0.1", pbxPort)).send(new MwiState("1001", 2, 1));
            Sipp.Result result = pbx.await();
            assertEquals(Sipp.ALL_CALLS_SUCCEEDED, result.exitCode(), result.toString());
            assertEquals(1, result.successful(), result.toString());
        }
        awaitTrue(() -> notifier.answered() == 1, "answered");
        assertEquals(1, notifier.sent());
        assertEquals(0, notifier.failed());
        assertEquals(0, notifier.pending());
        assertTrue(failures.isEmpty(), failures.toString());
    }

    /**
     * MW-3 beside calls (issue 14): an answered NOTIFY leaves nothing in the trunk's JAIN-SIP stack, whose
     * transactions the calls share (as a stack client transaction it stayed there for Timer K, 5 s).
     */
    @Test
    void mw3AnsweredNotifyLeavesNoTransactionInTheStack() throws Exception {
        try (Sipp.Running pbx = Sipp.startUas("mwi-receiver.xml", pbxPort, 1, work,
                "status", "200", "ext", "1005", "waiting", "yes", "counts", "1/0")) {
            notifier(MwiSettings.of("127.0.0.1", pbxPort)).send(new MwiState("1005", 1, 0));
            Sipp.Result result = pbx.await();
            assertEquals(Sipp.ALL_CALLS_SUCCEEDED, result.exitCode(), result.toString());
        }
        awaitTrue(() -> notifier.answered() == 1, "answered");
        assertEquals(0, trunk.stackTables().clientTransactions(), "client transactions in the stack");
    }

    /** A CallManager trunk without unsolicited NOTIFY allowed answers 403: 5 attempts, then one failure. */
    @Test
    void mw2RefusedNotifyIsRetriedBoundedThenReported() throws Exception {
        try (Sipp.Running pbx = Sipp.startUas("mwi-receiver.xml", pbxPort, 5, work,
                "status", "403", "ext", "1002", "waiting", "no", "counts", "0/4")) {
            notifier(MwiSettings.of("127.0.0.1", pbxPort).withAttempts(5, 50, 400)).send(new MwiState("1002", 0, 4));
            Failed failed = failures.poll(30, TimeUnit.SECONDS);
            assertEquals(new Failed(new MwiState("1002", 0, 4), 5, "403 MWI test"), failed);
            Sipp.Result result = pbx.await();
            assertEquals(5, result.successful(), result.toString());
            assertEquals(Sipp.ALL_CALLS_SUCCEEDED, result.exitCode(), result.toString());
        }
        assertEquals(5, notifier.sent());
        assertEquals(0, notifier.answered());
        assertEquals(1, notifier.failed());
        assertEquals(0, notifier.pending());
    }

    /** No answer at all: each NOTIFY times out after 64 x T1 (here 10 ms), 3 attempts, then one failure. */
    @Test
    void mw2UnansweredNotifyTimesOutIsRetriedThenReported() throws Exception {
        try (Sipp.Running pbx = Sipp.startUas("mwi-silent.xml", pbxPort, 3, work)) {
            notifier(MwiSettings.of("127.0.0.1", pbxPort).withAttempts(3, 50, 100).withTransactionT1Ms(10))
                    .send(new MwiState("1003", 1, 0));
            Failed failed = failures.poll(30, TimeUnit.SECONDS);
            assertEquals(new Failed(new MwiState("1003", 1, 0), 3, "no answer"), failed);
            Sipp.Result result = pbx.await();
            assertEquals(3, result.successful(), result.toString());
        }
        assertEquals(3, notifier.sent());
        assertEquals(0, notifier.answered());
        assertEquals(1, notifier.failed());
    }

    /** A state waiting for its retry (here 30 s away) is replaced by a newer one, which goes at once. */
    @Test
    void mw2NewestStateReplacesOneWaitingForItsRetry() throws Exception {
        notifier(MwiSettings.of("127.0.0.1", pbxPort).withAttempts(5, 30_000, 30_000));
        try (Sipp.Running busy = Sipp.startUas("mwi-receiver.xml", pbxPort, 1, work,
                "status", "503", "ext", "1004", "waiting", "yes", "counts", "1/0")) {
            notifier.send(new MwiState("1004", 1, 0));
            Sipp.Result result = busy.await();
            assertEquals(1, result.successful(), result.toString());
        }
        try (Sipp.Running pbx = Sipp.startUas("mwi-receiver.xml", pbxPort, 1, work,
                "status", "200", "ext", "1004", "waiting", "no", "counts", "0/1")) {
            notifier.send(new MwiState("1004", 0, 1));
            Sipp.Result result = pbx.await();
            assertEquals(Sipp.ALL_CALLS_SUCCEEDED, result.exitCode(), result.toString());
            assertEquals(1, result.successful(), result.toString());
        }
        awaitTrue(() -> notifier.answered() == 1, "answered");
        assertEquals(2, notifier.sent(), "the 503'd state is never sent again");
        assertEquals(0, notifier.pending());
        assertTrue(failures.isEmpty(), failures.toString());
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadlineNs > 0) {
                throw new AssertionError("not " + what + " within 10 s");
            }
            Thread.sleep(10);
        }
    }
}
