package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The arrows of SipCall's state diagram (CA-2's call life): every live state can end, nothing leaves an end. */
class CallStateTest {

    @Test
    void everyLiveStateCanEndAndTheEndsLeadNowhere() {
        for (CallState s : CallState.values()) {
            if (s.isOver()) {
                for (CallState next : CallState.values()) {
                    assertFalse(s.leadsTo(next), s + " -> " + next);
                }
            } else {
                assertTrue(s.leadsTo(CallState.ENDED), s + " -> ENDED");
            }
        }
    }

    @Test
    void onlyAnOfferedCallIsAnsweredOrRefusedAndOnlyAnAnsweredOneConnects() {
        for (CallState s : CallState.values()) {
            assertEquals(s == CallState.OFFERED, s.leadsTo(CallState.ANSWERED), s + " -> ANSWERED");
            assertEquals(s == CallState.OFFERED, s.leadsTo(CallState.REFUSED), s + " -> REFUSED");
            assertEquals(s == CallState.ANSWERED, s.leadsTo(CallState.CONNECTED), s + " -> CONNECTED");
            assertFalse(s.leadsTo(CallState.OFFERED), s + " -> OFFERED");
        }
    }
}
