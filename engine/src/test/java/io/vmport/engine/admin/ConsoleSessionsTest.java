package io.vmport.engine.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The console's signed session cookies (issue 15), on a clock the test steps. */
class ConsoleSessionsTest {
    private final AtomicLong nowMs = new AtomicLong(1_800_000_000_000L);
    private final List<String> ended = new ArrayList<>();

    private ConsoleSessions sessions(String token) {
        return new ConsoleSessions(token, nowMs::get, ended::add);
    }

    @Test
    void aSessionIsTakenByAnyNodeWithTheSameToken_soARestartedOrOtherNodeKeepsThePageSignedIn() {
        String s = sessions("secret").create();
        assertTrue(sessions("secret").valid(s), s);
        assertFalse(sessions("another").valid(s), "a new token ends every session");
        assertNotEquals(s, sessions("secret").create(), "every sign-in is its own session");
    }

    @Test
    void aTamperedOrMalformedCookieIsRefused() {
        ConsoleSessions sessions = sessions("secret");
        String s = sessions.create();
        char last = s.charAt(s.length() - 1);
        assertFalse(sessions.valid(s.substring(0, s.length() - 1) + (last == '0' ? '1' : '0')));
        String[] parts = s.split("\\.");
        String later = parts[0] + "." + Long.toHexString(nowMs.get() + 1000) + "." + parts[2];
        assertFalse(sessions.valid(later), "the issue time is signed too");
        for (String bad : new String[] {null, "", "abc", "x.y.z", s + ".", "." + s, "0".repeat(32) + "..",
                s.replace('.', '-')}) {
            assertFalse(sessions.valid(bad), String.valueOf(bad));
        }
    }

    @Test
    void aSessionLastsADay() {
        ConsoleSessions sessions = sessions("secret");
        String s = sessions.create();
        nowMs.addAndGet(ConsoleSessions.MAX_AGE_MS);
        assertTrue(sessions.valid(s));
        nowMs.incrementAndGet();
        assertFalse(sessions.valid(s));
    }

    @Test
    void signingOutRevokesTheSessionAndTellsItsStreams() {
        ConsoleSessions sessions = sessions("secret");
        String s = sessions.create();
        String other = sessions.create();
        sessions.end(s);
        assertFalse(sessions.valid(s));
        assertTrue(sessions.valid(other));
        assertEquals(List.of(s), ended);
        sessions.end("forged");
        assertEquals(List.of(s), ended, "only a real session ends");
    }

    @Test
    void theCookieIsReadFromTheCookieHeader() {
        assertEquals("abc", ConsoleSessions.idFrom("a=1; vmport_session=abc; b=2"));
        assertNull(ConsoleSessions.idFrom("a=1"));
        assertNull(ConsoleSessions.idFrom(null));
    }
}
