package io.vmport.sip;

import gov.nist.javax.sip.message.SIPRequest;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.TelURL;
import javax.sip.address.URI;
import javax.sip.header.ExtensionHeader;
import javax.sip.header.Header;

/**
 * Who calls whom and why, read once from the INVITE: user parts of From, To and the Request-URI, and the topmost
 * {@code Diversion} header (RFC 5806), whose user is the redirecting number and whose {@code reason} says why:
 *
 * <pre>
 * Diversion: "Alice" &lt;sip:1001@pbx;user=phone&gt;;reason=user-busy;counter=1, &lt;sip:1002@pbx&gt;;reason=no-answer
 *                      ^^^^ redirecting          ^^^^^^^^^ FORWARDED_BUSY   (only the first value is read)
 * </pre>
 *
 * @param caller         the From user part (or tel number)
 * @param callerName     the From display name, "" when absent
 * @param called         the To user part
 * @param requestUriUser the Request-URI user part; PIMG/TIMG gateways put their port number here
 * @param cameByRedirect the Request-URI carries {@link SipCall#REDIRECT_MARK}: a vmport trunk redirected the call
 * @param redirecting    the topmost Diversion's user part, "" when the call was not diverted
 * @param reason         why the call came: direct, or the Diversion's reason
 */
record CallParties(String caller, String callerName, String called, String requestUriUser, boolean cameByRedirect,
        String redirecting, CallReason reason) {

    static CallParties of(SIPRequest invite) {
        Address from = invite.getFrom().getAddress();
        URI requestUri = invite.getRequestURI();
        String diversion = diversion(invite.getHeader(DIVERSION));
        return new CallParties(user(from), displayName(from), user(invite.getTo().getAddress()), user(requestUri),
                requestUri instanceof SipURI uri && uri.getParameter(SipCall.REDIRECT_MARK) != null,
                diversionUser(diversion), diversionReason(diversion));
    }

    static final String DIVERSION = "Diversion";

    /** The user part of a SIP URI, the number of a tel URL, else "". */
    static String user(URI uri) {
        if (uri instanceof SipURI sip) {
            String user = sip.getUser();
            return user == null ? "" : user;
        }
        if (uri instanceof TelURL tel) {
            return tel.isGlobal() ? "+" + tel.getPhoneNumber() : tel.getPhoneNumber();
        }
        return "";
    }

    static String user(Address address) {
        return address == null ? "" : user(address.getURI());
    }

    static String displayName(Address address) {
        String name = address == null ? null : address.getDisplayName();
        return name == null ? "" : name;
    }

    /** The first value of a Diversion header, or null when there is none. */
    static String diversion(Header header) {
        if (header == null) {
            return null;
        }
        String value = header instanceof ExtensionHeader ext ? ext.getValue() : header.toString();
        if (!(header instanceof ExtensionHeader)) {
            int colon = value.indexOf(':');
            value = colon < 0 ? value : value.substring(colon + 1);
        }
        int end = topLevelComma(value);
        return (end < 0 ? value : value.substring(0, end)).trim();
    }

    /** The user part of the URI in a Diversion value, "" if absent. */
    static String diversionUser(String diversion) {
        if (diversion == null) {
            return "";
        }
        int lt = diversion.indexOf('<');
        int gt = lt < 0 ? -1 : diversion.indexOf('>', lt);
        String uri = lt >= 0 && gt > lt ? diversion.substring(lt + 1, gt) : diversion;
        int colon = uri.indexOf(':');
        if (colon < 0) {
            return "";
        }
        int end = uri.length();
        for (int i = colon + 1; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '@' || c == ';' || c == '>' || c == '?' || c == ' ') {
                end = i;
                break;
            }
        }
        return uri.substring(colon + 1, end);
    }

    /** The reason of a Diversion value; {@link CallReason#DIRECT} when there is no Diversion. */
    static CallReason diversionReason(String diversion) {
        if (diversion == null) {
            return CallReason.DIRECT;
        }
        int gt = diversion.lastIndexOf('>');
        String params = gt < 0 ? diversion : diversion.substring(gt + 1);
        int at = indexOfIgnoreCase(params, "reason=");
        if (at < 0) {
            return CallReason.FORWARDED;
        }
        int start = at + 7;
        int end = params.indexOf(';', start);
        String reason = (end < 0 ? params.substring(start) : params.substring(start, end)).trim();
        if (reason.length() > 1 && reason.charAt(0) == '"') {
            reason = reason.substring(1, reason.length() - 1);
        }
        if (reason.equalsIgnoreCase("user-busy")) {
            return CallReason.FORWARDED_BUSY;
        }
        if (reason.equalsIgnoreCase("no-answer")) {
            return CallReason.FORWARDED_NO_ANSWER;
        }
        return CallReason.FORWARDED;
    }

    private static int topLevelComma(String value) {
        boolean quoted = false;
        int angle = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '<') {
                angle++;
            } else if (!quoted && c == '>') {
                angle--;
            } else if (!quoted && angle == 0 && c == ',') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfIgnoreCase(String s, String what) {
        for (int i = 0; i + what.length() <= s.length(); i++) {
            if (s.regionMatches(true, i, what, 0, what.length())) {
                return i;
            }
        }
        return -1;
    }
}
