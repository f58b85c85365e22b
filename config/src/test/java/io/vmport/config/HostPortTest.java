package io.vmport.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** host:port endpoints of the peer link (SPEC ST-11) and their refusals (SPEC BI-3). */
class HostPortTest {

    @Test
    void parsesTheThreeForms() {
        assertEquals(new HostPort("10.0.0.2", 7400), HostPort.parse("f", "10.0.0.2:7400"));
        assertEquals(new HostPort("vm2.example.com", 7400), HostPort.parse("f", "vm2.example.com:7400"));
        assertEquals(new HostPort("2001:db8::2", 7400), HostPort.parse("f", "[2001:db8::2]:7400"));
    }

    @Test
    void writtenBackAsParsed() {
        assertEquals("10.0.0.2:7400", HostPort.parse("f", "10.0.0.2:7400").toString());
        assertEquals("[2001:db8::2]:7400", HostPort.parse("f", "[2001:db8::2]:7400").toString());
    }

    @Test
    void sameEndpointComparesAddressesNotText() {
        assertTrue(HostPort.parse("f", "[::1]:7400").sameEndpoint(HostPort.parse("f", "[0:0:0:0:0:0:0:1]:7400")));
        assertTrue(HostPort.parse("f", "0.0.0.0:7400").sameEndpoint(HostPort.parse("f", "10.0.0.1:7400")));
        assertTrue(HostPort.parse("f", "localhost:7400").sameEndpoint(HostPort.parse("f", "127.0.0.1:7400")));
        assertTrue(HostPort.parse("f", "VM1.example.com:7400").sameEndpoint(HostPort.parse("f", "vm1.example.com.:7400")));
        assertFalse(HostPort.parse("f", "127.0.0.1:7400").sameEndpoint(HostPort.parse("f", "127.0.0.1:7401")));
        assertFalse(HostPort.parse("f", "10.0.0.1:7400").sameEndpoint(HostPort.parse("f", "10.0.0.2:7400")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.2", "10.0.0.2:", ":7400", "10.0.0.2:0", "10.0.0.2:65536", "10.0.0.2:07400",
        "10.0.0.2:74a", "2001:db8::2:7400", "[2001:db8::2]", "[2001:db8::2]7400", "[10.0.0.2]:7400", "[::1:7400",
        "bad_host!:7400", "-vm2:7400", "10.0.0.256:7400", "vm2.example.com:7400:1", "http://vm2:7400"})
    void bi3_malformedEndpointIsRefused(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> HostPort.parse("peer.address", text));

        assertEquals("peer.address", e.field());
        assertEquals(text, e.value());
        assertTrue(e.allowed().startsWith(HostPort.ALLOWED), e.allowed());
        assertTrue(e.getMessage().contains("'peer.address' has value '" + text + "'"), e.getMessage());
    }

    @Test
    void constructorRefusesWhatParseRefuses() {
        assertThrows(IllegalArgumentException.class, () -> new HostPort("bad host", 7400));
        assertThrows(IllegalArgumentException.class, () -> new HostPort("10.0.0.2", 0));
    }
}
