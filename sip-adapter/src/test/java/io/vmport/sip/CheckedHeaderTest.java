package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** BI-1: header names, and the name-addr scan of From/To/Contact (RFC 3261 section 25). */
class CheckedHeaderTest {

    private static String fault(String line) {
        int colon = line.indexOf(':');
        RequestFault f = CheckedHeader.of(line, colon).nameAddrFault(line, colon);
        return f == null ? null : f.reasonPhrase();
    }

    @Test
    void namesAndCompactFormsAreKnownWhateverTheirCase() {
        assertEquals(CheckedHeader.CALL_ID, CheckedHeader.of("call-id: x", 7));
        assertEquals(CheckedHeader.CALL_ID, CheckedHeader.of("i : x", 2));
        assertEquals(CheckedHeader.CONTENT_LENGTH, CheckedHeader.of("L: 0", 1));
        assertEquals(CheckedHeader.TO, CheckedHeader.of("To: <sip:a@b>", 2));
        assertNull(CheckedHeader.of("Tone: x", 4));
        assertNull(CheckedHeader.of("Subject: x", 7));
    }

    @Test
    void validNameAddrsPass() {
        assertNull(fault("From: \"Alice \\\"A\\\" <x>\" <sip:1001@h>;tag=1"), "anything quoted, escapes included");
        assertNull(fault("From: Alice Smith-Jones <sip:1001@h>;tag=1"));
        assertNull(fault("From: sip:1001@h;tag=1"), "an addr-spec needs no brackets");
        assertNull(fault("To: <sip:7000@h>;x=\"a <b> c\""), "a quoted parameter may hold anything");
        assertNull(fault("Contact: *"));
        assertNull(fault("Contact: <sip:a@h>;expires=60, Bob <sip:b@h>, sip:c@h;q=0.5"));
    }

    @Test
    void unquotedNonTokenNamesAndSpacesInsideBracketsAreFaults() {
        assertEquals("Bad From header: display name needs quotes", fault("From: Al@ice <sip:1001@h>;tag=1"));
        assertEquals("Bad From header: display name needs quotes", fault("From: \"Alice\" Smith <sip:1001@h>"));
        assertEquals("Bad To header: space inside <addr-spec>", fault("To: <sip:7000@h >"));
        assertEquals("Bad To header: space inside <addr-spec>", fault("t: <sip:7000@\th>"));
        assertEquals("Bad Contact header: display name needs quotes", fault("Contact: <sip:a@h>, B(b) <sip:b@h>"));
    }
}
