package io.vmport.config;

import static io.vmport.config.ConfigAssertions.assertRefusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The trunk's allowed source blocks (SPEC BI-1) and their refusals (SPEC BI-3). */
class CidrTest {

    @Test
    void bi1_ipv4BlockContainsItsAddressesOnly() {
        Cidr block = Cidr.parse("f", "192.168.4.0/22");

        assertTrue(block.contains(ip("192.168.4.0")));
        assertTrue(block.contains(ip("192.168.7.255")));
        assertFalse(block.contains(ip("192.168.8.0")));
        assertFalse(block.contains(ip("192.168.3.255")));
    }

    @Test
    void bi1_ipv6BlockContainsItsAddressesOnly() {
        Cidr block = Cidr.parse("f", "2001:db8:ab8::/45");

        assertTrue(block.contains(ip("2001:db8:ab8::1")));
        assertTrue(block.contains(ip("2001:db8:abf:ffff::1")));
        assertFalse(block.contains(ip("2001:db8:ac0::")));
        assertFalse(block.contains(ip("2001:db8:ab7:ffff::")));
    }

    @Test
    void bi1_addressWithoutPrefixIsThatAddressAlone() {
        assertEquals(Cidr.parse("f", "10.1.2.3/32"), Cidr.parse("f", "10.1.2.3"));
        assertEquals(Cidr.parse("f", "::1/128"), Cidr.parse("f", "::1"));
        assertFalse(Cidr.parse("f", "10.1.2.3").contains(ip("10.1.2.4")));
    }

    @Test
    void bi1_zeroPrefixContainsEveryAddressOfItsFamilyOnly() {
        Cidr any4 = Cidr.parse("f", "0.0.0.0/0");
        Cidr any6 = Cidr.parse("f", "::/0");

        assertTrue(any4.contains(ip("203.0.113.9")));
        assertFalse(any4.contains(ip("2001:db8::9")));
        assertTrue(any6.contains(ip("2001:db8::9")));
        assertFalse(any6.contains(ip("203.0.113.9")));
        assertFalse(any4.contains(null));
    }

    @Test
    void prefixNotOnAByteBoundary() {
        Cidr block = Cidr.parse("f", "10.0.0.128/25");

        assertTrue(block.contains(ip("10.0.0.200")));
        assertFalse(block.contains(ip("10.0.0.127")));
    }

    @Test
    void writtenInShortestForm() {
        assertEquals("2001:db8::/32", Cidr.parse("f", "2001:0DB8:0:0::/32").toString());
        assertEquals("10.0.0.0/8", Cidr.parse("f", "10.0.0.0/8").toString());
        assertEquals("::1/128", Cidr.parse("f", "::1").toString());
        assertEquals("2001:db8:0:1::/64", Cidr.parse("f", "2001:db8:0:1:0:0:0:0/64").toString());
    }

    @Test
    void bi3_hostBitsPastThePrefixAreRefusedWithTheBlockMeant() {
        ConfigException e = assertThrows(ConfigException.class, () -> Cidr.parse("sip.allow[0]", "10.1.2.3/8"));

        assertRefusal(e, "sip.allow[0]", "10.1.2.3/8", "did you mean 10.0.0.0/8?");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/08", "10.0.0.0/33", "::/129", "10.0.0/8",
        "10.0.0.0.0/8", "010.0.0.0/8", "256.0.0.0/8", "10.1/16", "pbx.example.com", "fe80::1%eth0", "::ffff:10.0.0.1",
        "2001:db8::/32/1", "10.0.0.0 /8"})
    void bi3_malformedBlockIsRefused(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> Cidr.parse("sip.allow[0]", text));

        assertEquals("sip.allow[0]", e.field());
        assertEquals(text, e.value());
        assertTrue(e.allowed().startsWith(Cidr.ALLOWED), e.allowed());
    }

    @Test
    void constructorRefusesHostBits() {
        assertThrows(IllegalArgumentException.class, () -> new Cidr(ip("10.0.0.1"), 8));
        assertThrows(IllegalArgumentException.class, () -> new Cidr(ip("10.0.0.0"), 33));
    }

    private static InetAddress ip(String literal) {
        return Hosts.ipLiteral(literal).orElseThrow();
    }
}
