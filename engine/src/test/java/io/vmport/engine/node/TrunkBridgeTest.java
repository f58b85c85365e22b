package io.vmport.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** CA-1 for PIMG/TIMG: a redirect keeps the gateway port the call was for (DESIGN section 4). */
class TrunkBridgeTest {

    @Test
    void ca1_pimgRedirectContactKeepsTheGatewayPortAsItsUser() {
        assertEquals("sip:7@127.0.0.1:5062", TrunkBridge.withUser("sip:127.0.0.1:5062", "7"));
        assertEquals("sip:127.0.0.1:5062", TrunkBridge.withUser("sip:127.0.0.1:5062", ""), "no user: as it was");
        assertEquals("sip:127.0.0.1:5062", TrunkBridge.withUser("sip:127.0.0.1:5062", null));
        assertEquals("sip:8@h:1", TrunkBridge.withUser("sip:8@h:1", "7"), "a user already there stays");
    }
}
