package io.vmport.engine.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** MD-4: a DTMF digit is taken once per RFC 4733 event, however often its packets repeat. */
class DtmfEventsTest {
    private final DtmfEvents events = new DtmfEvents();

    @Test
    void beginUpdatesAndThreeEndsGiveOneDigit() {
        assertEquals('5', events.offer(1000, 5));
        assertEquals(0, events.offer(1000, 5));
        assertEquals(0, events.offer(1000, 5));
        for (int i = 0; i < 3; i++) {
            assertEquals(0, events.offer(1000, 5), "end packet repeat " + i);
        }
        assertEquals('5', events.offer(2600, 5), "the same key again is a new event");
    }

    @Test
    void anEventWhoseBeginWasLostIsReportedOnItsFirstEndPacket() {
        assertEquals('#', events.offer(42, 11));
        assertEquals(0, events.offer(42, 11));
        assertEquals(0, events.offer(42, 11));
    }

    @Test
    void starHashAndDigitsAreReportedOtherEventsAreNot() {
        assertEquals('*', events.offer(100, 10));
        assertEquals('0', events.offer(200, 0));
        assertEquals(0, events.offer(300, 12), "A is no digit");
        assertEquals(0, events.offer(400, 16), "flash is no digit");
        assertEquals('9', events.offer(500, 9));
    }

    @Test
    void aLateRepeatOfAnOlderEventIsNotReportedAgainAcrossTimestampWrap() {
        assertEquals('1', events.offer(Integer.MAX_VALUE - 100, 1));
        assertEquals('2', events.offer(Integer.MAX_VALUE + 700, 2), "timestamp wrapped");
        assertEquals(0, events.offer(Integer.MAX_VALUE - 100, 1), "late end packet of the previous event");
    }
}
