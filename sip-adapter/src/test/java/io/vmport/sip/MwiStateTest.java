package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** MW-1's state and MW-2's settings refuse what cannot be sent, naming the field, the value and what is allowed. */
class MwiStateTest {

    @Test
    void mw1WaitingWhileANewMessageIsThere() {
        assertTrue(new MwiState("1001", 1, 0).waiting());
        assertFalse(new MwiState("1001", 0, 7).waiting());
    }

    @Test
    void anExtensionThatCannotBeASipUserIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MwiState("10 01", 1, 0));
        assertEquals("mwi extension: " + MwiState.EXTENSION_TEXT + ", not 10 01", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MwiState("", 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new MwiState("1001@evil", 1, 0));
    }

    @Test
    void negativeCountsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MwiState("1001", -1, 0));
        assertEquals("mwi 1001: message counts are 0 or more, not new -1 old 0", e.getMessage());
    }

    @Test
    void mw2SettingsOutOfRangeAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MwiSettings.of("127.0.0.1", 5060).withAttempts(0, 1_000, 60_000));
        assertEquals("mwi maxAttempts: 1 to 20, not 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MwiSettings.of("127.0.0.1", 5060).withAttempts(5, 10_000, 1_000));
        assertEquals("mwi maxRetryMs: 10000 to 3600000, not 1000", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MwiSettings.of("127.0.0.1", 0));
    }
}
