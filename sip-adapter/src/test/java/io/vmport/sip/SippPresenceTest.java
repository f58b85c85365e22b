package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** Without sipp the SIPp tests are skipped, except under CI=true, where they fail. */
class SippPresenceTest {

    @Test
    void missingSippSkipsLocallyAndFailsInCi() {
        assertThrows(TestAbortedException.class, () -> Sipp.requireOrSkip(false, null));
        assertThrows(TestAbortedException.class, () -> Sipp.requireOrSkip(false, "false"));
        assertThrows(AssertionFailedError.class, () -> Sipp.requireOrSkip(false, "true"));
        Sipp.requireOrSkip(true, "true");
    }
}
