package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** BI-3 for the trunk's part of the configuration; and the stack properties derived from it. */
class SipTrunkSettingsTest {

    private static final SipTrunkSettings OK = SipTrunkSettings.of("127.0.0.1", 5060, InetAddress::isLoopbackAddress);

    private static String refused(Runnable build) {
        return assertThrows(IllegalArgumentException.class, build::run).getMessage();
    }

    @Test
    void badValuesAreRefusedWithFieldValueAndWhatIsAllowed() {
        assertEquals("sip.port=70000: must be 1..65535", refused(() -> SipTrunkSettings.of("127.0.0.1", 70_000, a -> true)));
        assertEquals("sip.retryAfterSeconds=0: must be 1..3600", refused(() -> OK.withRetryAfterSeconds(0)));
        assertEquals("sip.maxCalls=0: must be 1..1000000", refused(() -> OK.withMaxCalls(0)));
        assertEquals("sip.threadPoolSize=0: must be 1..64", refused(() -> OK.withThreadPoolSize(0)));
        assertEquals("sip.transports=[]: must name UDP, TCP or both", refused(() -> OK.withTransports(Set.of())));
        assertTrue(refused(() -> SipTrunkSettings.of("0.0.0.0", 5060, a -> true)).startsWith("sip.mediaAddress=0.0.0.0"));
        assertThrows(NullPointerException.class, () -> OK.withAllow(null));
    }

    @Test
    void mediaAddressDefaultsToTheBindAddress() {
        assertEquals("127.0.0.1", OK.mediaAddress());
        assertEquals("10.0.0.5", SipTrunkSettings.of("0.0.0.0", 5060, a -> true, "10.0.0.5").mediaAddress());
    }

    @Test
    void stackPropertiesCarryTheTuning() {
        Properties p = StackProperties.of(OK.withThreadPoolSize(3).withLingerSeconds(1));
        assertEquals("8192", p.getProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE"));
        assertEquals("true", p.getProperty("gov.nist.javax.sip.REENTRANT_LISTENER"));
        assertEquals("3", p.getProperty("gov.nist.javax.sip.THREAD_POOL_SIZE"));
        assertEquals("1", p.getProperty("gov.nist.javax.sip.LINGER_TIMER"));
        assertEquals("off", p.getProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT"));
        assertEquals("4194304", p.getProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE"));
        assertEquals("OFF", p.getProperty("gov.nist.javax.sip.TRACE_LEVEL"));
    }
}
