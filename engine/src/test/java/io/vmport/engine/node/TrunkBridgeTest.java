package io.vmport.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** The measurement switch: media on unless -Dvmport.media=off; a typo is refused, not read as on or off. */
    @Test
    void md1_mediaIsOnUnlessTurnedOffAndABadValueIsRefusedNamingIt() {
        assertFalse(TrunkBridge.mediaOff(null));
        assertFalse(TrunkBridge.mediaOff("on"));
        assertTrue(TrunkBridge.mediaOff("off"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrunkBridge.mediaOff("of"));
        assertTrue(e.getMessage().contains("vmport.media") && e.getMessage().contains("'of'")
                && e.getMessage().contains("on (the default) or off"), e.getMessage());
    }
}
