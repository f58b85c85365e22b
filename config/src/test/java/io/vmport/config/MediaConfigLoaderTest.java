package io.vmport.config;

import static io.vmport.config.ConfigAssertions.assertRefusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bootstrap file's {@code media} block (SPEC MD-1: each call's RTP port comes from the node's range) and
 * its refusals (SPEC BI-3: field, value and what is allowed).
 */
class MediaConfigLoaderTest {
    private static final String BASE = """
            server: publisher
            sip: { host: 10.0.0.11, port: 5060, allow: [10.0.1.0/24] }
            admin: { port: 8080, token: s3cret-token }
            peer: { listen: 10.0.0.11:7400, address: 10.0.0.12:7400 }
            database: { url: "jdbc:mysql://db1:3306/vmport", user: vmport, password: db-pass-1 }
            """;

    @Test
    void md1_designExampleGivesTheRtpRange() throws URISyntaxException {
        Path file = Path.of(getClass().getResource("/design-example.yaml").toURI());

        assertEquals(new MediaConfig("127.0.0.1", 20_000, 29_999), NodeConfigLoader.load(file).media());
    }

    @Test
    void md1_mediaBlockIsRead() {
        MediaConfig media = parse(BASE + "media: { host: 10.0.0.13, rtpPorts: 30000-30099 }\n").media();

        assertEquals(new MediaConfig("10.0.0.13", 30_000, 30_099), media);
        assertEquals(50, media.sessionCapacity());
    }

    @Test
    void md1_withoutMediaBlockTheRangeIsTheDefaultOnTheSipHost() {
        assertEquals(new MediaConfig("10.0.0.11", 20_000, 29_999), parse(BASE).media());
        assertEquals(new MediaConfig("10.0.0.11", 20_000, 29_999),
                parse(BASE + "media: { rtpPorts: 20000-29999 }\n").media());
        assertEquals(new MediaConfig("10.0.0.14", 20_000, 29_999),
                parse(BASE + "media: { host: 10.0.0.14 }\n").media());
    }

    @Test
    void md1_smallestRangeIsOnePair() {
        assertEquals(1, parse(BASE + "media: { rtpPorts: 1024-1025 }\n").media().sessionCapacity());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "20001-29999 | the first port is odd",
        "20000-20000 | the last port is not above the first",
        "29998-20000 | the last port is not above the first",
        "1000-2000   | outside 1024..65535",
        "64000-70000 | outside 1024..65535",
        "20000       | FIRST-LAST",
        "20000-      | FIRST-LAST",
        "a-b         | FIRST-LAST",
        "20000..29999 | FIRST-LAST",
    })
    void bi3_badRtpRangeIsRefusedNamingFieldValueAndWhatIsAllowed(String range, String why) {
        ConfigException e = refused(BASE + "media: { host: 10.0.0.11, rtpPorts: \"" + range + "\" }\n");

        assertRefusal(e, "media.rtpPorts", range, "an even first port, a last port above it (at least 2 ports), "
                + "both from 1024 to 65535");
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void bi3_rtpRangeAsANumberIsRefused() {
        ConfigException e = refused(BASE + "media: { rtpPorts: 20000 }\n");

        assertRefusal(e, "media.rtpPorts", "20000", "FIRST-LAST, e.g. 20000-29999");
    }

    @Test
    void bi3_rtpRangeHoldingTheSipPortOnTheSameHostIsRefused() {
        ConfigException e = refused(BASE + "media: { rtpPorts: 5000-5999 }\n");

        assertRefusal(e, "media.rtpPorts", "5000-5999", "a range that leaves out sip.port (5060)");
        // on another address the same numbers are free
        assertEquals(5000, parse(BASE + "media: { host: 10.0.0.13, rtpPorts: 5000-5999 }\n").media().firstRtpPort());
    }

    @Test
    void bi3_badMediaHostAndUnknownKeyAreRefused() {
        assertRefusal(refused(BASE + "media: { host: \"not a host\" }\n"), "media.host", "not a host",
                Hosts.HOST_TEXT);
        assertRefusal(refused(BASE + "media: { rtpPort: 20000-29999 }\n"), "media.rtpPort", "rtpPort",
                "did you mean 'rtpPorts'?");
    }

    private static NodeConfig parse(String yaml) {
        return NodeConfigLoader.parse(yaml, "node.yaml");
    }

    private static ConfigException refused(String yaml) {
        return assertThrows(ConfigException.class, () -> parse(yaml));
    }
}
