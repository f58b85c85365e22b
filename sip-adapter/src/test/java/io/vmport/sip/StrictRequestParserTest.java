package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import gov.nist.javax.sip.message.SIPMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** BI-1: the strict parser as the stack drives it (MalformedRequestTest drives it through a real trunk). */
class StrictRequestParserTest {

    private static final String INVITE = "INVITE sip:7000@127.0.0.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bK-1\r\nMax-Forwards: 70\r\n"
            + "From: \"Alice\" <sip:1001@127.0.0.1>;tag=1\r\nTo: <sip:7000@127.0.0.1>\r\nCall-ID: 1@127.0.0.1\r\n"
            + "CSeq: 1 INVITE\r\nContact: <sip:1001@127.0.0.1:5070;transport=tcp>\r\nContent-Length: 0\r\n\r\n";

    private static RequestFault parse(StrictRequestParser parser, String message) throws Exception {
        SIPMessage parsed = parser.parseSIPMessage(message.getBytes(StandardCharsets.UTF_8), true, false, null);
        return (RequestFault) parsed.getApplicationData();
    }

    /**
     * The stack's TCP channel parses a connection's messages on several threads with one parser: what one parse
     * remembers (single-valued headers seen) must not leak into another. SIPp over TCP once got "400 Duplicate From
     * header" for a valid BYE this way.
     */
    @Test
    void oneParserOnManyThreadsFindsNoFaultInValidRequests() throws Exception {
        StrictRequestParser parser = new StrictRequestParser(new TrunkCounters());
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> faults = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                faults.add(threads.submit(() -> {
                    int n = 0;
                    for (int i = 0; i < 20_000; i++) {
                        n += parse(parser, INVITE) == null ? 0 : 1;
                    }
                    return n;
                }));
            }
            for (Future<Integer> f : faults) {
                assertEquals(0, f.get(), "valid INVITEs found faulty");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aDuplicateIsFoundAgainAfterAValidRequest() throws Exception {
        StrictRequestParser parser = new StrictRequestParser(new TrunkCounters());
        assertNull(parse(parser, INVITE));
        assertEquals("Duplicate Call-ID header",
                parse(parser, INVITE.replace("CSeq:", "i: 2@127.0.0.1\r\nCSeq:")).reasonPhrase());
        assertNull(parse(parser, INVITE), "the last request's headers are forgotten");
    }
}
