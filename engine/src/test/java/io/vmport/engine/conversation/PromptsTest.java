package io.vmport.engine.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Numbers in words and extensions digit by digit, from the digit prompts (SPEC MD-3). */
class PromptsTest {

    private static String said(List<Clip> clips) {
        return clips.stream().map(Object::toString).collect(Collectors.joining(" "));
    }

    @Test
    void numbersAreSaidInWords() {
        assertEquals("N0", said(Prompts.number(0)));
        assertEquals("N7", said(Prompts.number(7)));
        assertEquals("N13", said(Prompts.number(13)));
        assertEquals("N20", said(Prompts.number(20)));
        assertEquals("N40 N2", said(Prompts.number(42)));
        assertEquals("N1 HUNDRED", said(Prompts.number(100)));
        assertEquals("N3 HUNDRED N19", said(Prompts.number(319)));
        assertEquals("N1 THOUSAND", said(Prompts.number(1_000)));
        assertEquals("N2 THOUSAND N5", said(Prompts.number(2_005)));
        assertEquals("N9 HUNDRED N90 N9 THOUSAND N9 HUNDRED N90 N9", said(Prompts.number(999_999)));
        assertEquals("N1 N0 N0 N0 N0 N0 N0", said(Prompts.number(1_000_000)));
        assertThrows(IllegalArgumentException.class, () -> Prompts.number(-1));
    }

    @Test
    void extensionsAreSaidDigitByDigit() {
        assertEquals("N1 N0 N0 N1", said(Prompts.digits("1001")));
        assertEquals("", said(Prompts.digits("")));
    }
}
