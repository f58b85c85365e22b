package io.vmport.loadtest.sccp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.testing.Poll;
import io.vmport.sccp.codec.SkinnyCodec;
import io.vmport.sccp.sim.CallOutcome;
import io.vmport.sccp.sim.PhoneSystemSimulator;
import io.vmport.sccp.sim.SimCounts;
import io.vmport.sccp.sim.SimSettings;
import io.vmport.sccp.station.StationSession;
import io.vmport.sccp.station.StationSettings;
import io.vmport.sccp.station.StationState;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The phone-system simulator with 2 x N answering port devices (station sessions of the adapter, no engine yet):
 * SPEC section 3's hunt list (subscriber first), CA-3 registration, CA-4 Stop Taking Calls, PT-3 a server that
 * dies and comes back.
 */
class PhoneSystemSimulatorTest {
    static final StationSettings STATION = new StationSettings(2_000, 1_000, 50, 400, 2, 16384);
    static final int PER_SERVER = 50;

    private PhoneSystemSimulator sim;
    private PortDeviceFarm farm;

    private void start(long holdTimeMs) throws Exception {
        sim = new PhoneSystemSimulator(new SimSettings(30, 1_000, holdTimeMs, SkinnyCodec.DEFAULT_MAX_LENGTH),
                PhoneSystemSimulator.subscriberFirst(PortDeviceFarm.deviceNames("subscriber", PER_SERVER),
                        PortDeviceFarm.deviceNames("publisher", PER_SERVER)));
        InetSocketAddress at = sim.start(new InetSocketAddress("127.0.0.1", 0));
        farm = new PortDeviceFarm(at, PER_SERVER, STATION, 2);
        farm.startAll();
        Poll.await("2 x " + PER_SERVER + " devices registered, on both ends", 15_000,
                () -> sim.registeredCount() == 2 * PER_SERVER
                        && farm.count("subscriber", StationState.REGISTERED) == PER_SERVER
                        && farm.count("publisher", StationState.REGISTERED) == PER_SERVER, farm::describe);
    }

    @AfterEach
    void tearDown() {
        if (farm != null) {
            farm.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void ca3BothServersUpTheSubscriberAnswersMostCalls() throws Exception {
        start(300);
        assertEquals(PER_SERVER, farm.count("subscriber", StationState.REGISTERED));
        assertEquals(PER_SERVER, farm.count("publisher", StationState.REGISTERED));

        CallLoad.Result result = CallLoad.run(sim, 100, 50, 10_000);
        assertEquals(100, result.answered(), result.toString());
        assertEquals(0, result.unanswered(), result.toString());
        assertTrue(result.answeredBy("subscriber") > result.answeredBy("publisher"), result.toString());
        Poll.await("every call hung up by the caller", 5_000, () -> sim.counts().ended() == 100,
                () -> sim.counts().toString());
    }

    @Test
    void ca4StopTakingCallsOnTheSubscriberSendsNewCallsToThePublisherWhileItsCallsFinish() throws Exception {
        start(1_500);
        CallLoad.Result before = CallLoad.run(sim, 10, 50, 5_000);
        assertEquals(10, before.answeredBy("subscriber"), before.toString());

        farm.unregister("subscriber");
        Poll.await("the subscriber's idle devices unregistered", 5_000,
                () -> farm.count("subscriber", StationState.UNREGISTERED) == PER_SERVER - 10, farm::describe);
        assertEquals(10, farm.count("subscriber", StationState.IN_CALL), "calls in progress continue");

        CallLoad.Result after = CallLoad.run(sim, 20, 50, 5_000);
        assertEquals(20, after.answeredBy("publisher"), after.toString());
        assertEquals(0, after.answeredBy("subscriber"), after.toString());

        Poll.await("the subscriber's calls finished and its devices unregistered", 10_000,
                () -> farm.count("subscriber", StationState.UNREGISTERED) == PER_SERVER, farm::describe);
        SimCounts counts = sim.counts();
        assertEquals(0, counts.dropped(), counts.toString());

        farm.register("subscriber");
        Poll.await("Take Calls: the subscriber registered again", 5_000,
                () -> sim.registeredCount() == 2 * PER_SERVER, farm::describe);
        CallOutcome back = sim.offerCall("5551234", "8000").get(5, TimeUnit.SECONDS);
        assertEquals("subscriber", back.server(), back.toString());
    }

    @Test
    void pt3ASubscriberThatDiesLeavesEveryCallToThePublisherAndTakesItsShareWhenBack() throws Exception {
        start(200);
        farm.stop("subscriber");
        Poll.await("the simulator saw the subscriber's devices go", 5_000,
                () -> sim.registeredCount() == PER_SERVER, farm::describe);

        CallLoad.Result down = CallLoad.run(sim, 40, 50, 5_000);
        assertEquals(40, down.answeredBy("publisher"), down.toString());
        assertEquals(0, down.unanswered(), down.toString());

        farm.start("subscriber");
        Poll.await("the subscriber's devices registered again", 10_000,
                () -> sim.registeredCount() == 2 * PER_SERVER, farm::describe);
        CallLoad.Result back = CallLoad.run(sim, 40, 50, 5_000);
        assertEquals(40, back.answeredBy("subscriber"), back.toString());
    }

    @Test
    void ca4HuntMovesPastAnUnregisteredDevice() throws Exception {
        start(0);
        StationSession first = farm.sessions("subscriber").get(0);
        first.unregister();
        Poll.await("VMP-SUB-0001 unregistered", 2_000, () -> !sim.isRegistered("VMP-SUB-0001"), first::toString);
        CallOutcome outcome = sim.offerCall("5551234", "8000").get(5, TimeUnit.SECONDS);
        assertEquals("VMP-SUB-0002", outcome.deviceName(), outcome.toString());
        assertEquals(1, outcome.devicesRung());
    }
}
