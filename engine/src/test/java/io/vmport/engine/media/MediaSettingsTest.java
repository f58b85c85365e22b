package io.vmport.engine.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Bad media settings are refused naming the field, the value and what is allowed. */
class MediaSettingsTest {

    @Test
    void defaultsAndCapacity() {
        MediaSettings s = MediaSettings.of("127.0.0.1", 20000, 20999);
        assertEquals(2, s.eventLoops());
        assertEquals(30_000, s.mediaTimeoutMs());
        assertEquals(500, s.sessionCapacity());
    }

    @Test
    void refusals() {
        assertMessage("media ports 20001-20001 hold no even port", () -> MediaSettings.of("127.0.0.1", 20001, 20001));
        assertMessage("media ports 0-10", () -> MediaSettings.of("127.0.0.1", 0, 10));
        assertMessage("media host is ' '", () -> MediaSettings.of(" ", 20000, 20001));
        assertMessage("eventLoops 0; allowed: 1-64", () -> new MediaSettings("h", 20000, 20001, 0, 1));
        assertMessage("timeout 0 ms", () -> new MediaSettings("h", 20000, 20001, 1, 0));
    }

    private static void assertMessage(String part, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
