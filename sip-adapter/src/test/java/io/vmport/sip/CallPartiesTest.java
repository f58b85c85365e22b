package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import org.junit.jupiter.api.Test;

/** PM-1 fields from an INVITE: caller, called, redirecting number and reason. */
class CallPartiesTest {

    private final HeaderFactoryImpl headers = new HeaderFactoryImpl();
    private final AddressFactoryImpl addresses = new AddressFactoryImpl();

    @Test
    void topmostDiversionGivesRedirectingNumberAndReason() throws Exception {
        String value = CallParties.diversion(headers.createHeader("Diversion",
                "\"Bob\" <sip:2002@pbx;user=phone>;reason=user-busy;counter=1, <sip:3003@pbx>;reason=no-answer"));
        assertEquals("2002", CallParties.diversionUser(value));
        assertEquals(CallReason.FORWARDED_BUSY, CallParties.diversionReason(value));
    }

    @Test
    void reasonsMapToTheThreeKindsAndOthers() {
        assertEquals(CallReason.FORWARDED_NO_ANSWER, CallParties.diversionReason("<sip:1@x>;reason=no-answer"));
        assertEquals(CallReason.FORWARDED_BUSY, CallParties.diversionReason("<sip:1@x>;Reason=\"user-busy\""));
        assertEquals(CallReason.FORWARDED, CallParties.diversionReason("<sip:1@x>;reason=unconditional"));
        assertEquals(CallReason.FORWARDED, CallParties.diversionReason("<sip:1@x>"));
        assertEquals(CallReason.DIRECT, CallParties.diversionReason(null));
        assertEquals("", CallParties.diversionUser(null));
        assertNull(CallParties.diversion(null));
    }

    @Test
    void telUriAndSipUriUsersAndDisplayName() throws Exception {
        assertEquals("+15551234", CallParties.diversionUser("<tel:+15551234>;reason=no-answer"));
        assertEquals("1001", CallParties.user(addresses.createAddress("\"Alice\" <sip:1001@pbx>")));
        assertEquals("Alice", CallParties.displayName(addresses.createAddress("\"Alice\" <sip:1001@pbx>")));
        assertEquals("", CallParties.displayName(addresses.createAddress("<sip:1001@pbx>")));
        assertEquals("", CallParties.user(addresses.createAddress("<sip:pbx.example>")));
        assertEquals("+15551234", CallParties.user(addresses.createURI("tel:+15551234")));
    }
}
