package io.vmport.loadtest.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The set-up times of issue 14's MWI burst bench (call set-up beside MW-3), read from tshark's field lines. */
class SetupTimesTest {

    @Test
    void setupIsFirstInviteToFirst200ToTheMicrosecond() {
        List<SetupTimes.Call> calls = SetupTimes.parse(List.of(
                "1796310621.315076743;1-29276@127.0.0.1;INVITE;",
                "1796310621.315281041;1-29276@127.0.0.1;;180",
                "1796310621.814265641;2-29276@127.0.0.1;INVITE;",
                "1796310621.816409889;1-29276@127.0.0.1;;200",
                "1796310622.314265641;2-29276@127.0.0.1;INVITE;", // a retransmission: the first copy counts
                "1796310622.315454311;2-29276@127.0.0.1;;200",
                "1796310622.320000000;2-29276@127.0.0.1;;200", // a retransmitted 200: the first counts
                "1796310623.000000000;3-29276@127.0.0.1;INVITE;", // never answered: not a call set up
                "garbage"));

        assertEquals(List.of(new SetupTimes.Call(1796310621315076L, 501_333),
                new SetupTimes.Call(1796310621814265L, 501_189)), calls);
    }
}
