package io.vmport.sip;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Reads an SDP offer (RFC 4566) far enough to answer it (RFC 3264) with one G.711 audio stream, and writes the
 * answer. The trunk takes the first {@code m=audio} line with a non-zero port, {@code RTP/AVP} and PCMU or PCMA
 * among its formats (in the offerer's order, static or dynamic); every other m= line is answered with port 0.
 * {@code telephone-event/8000} is kept when offered so DTMF reaches the voice-messaging port.
 *
 * <pre>
 * offer                                   answer (rtpPort 20000, media address 10.0.0.5)
 * v=0                                     v=0
 * o=pbx 1 1 IN IP4 10.0.0.1               o=vmport &lt;id&gt; &lt;version&gt; IN IP4 10.0.0.5
 * s=-                                     s=vmport
 * c=IN IP4 10.0.0.1                       c=IN IP4 10.0.0.5
 * t=0 0                                   t=0 0
 * m=audio 4000 RTP/AVP 18 8 0 101         m=audio 20000 RTP/AVP 8 101
 * a=rtpmap:101 telephone-event/8000       a=rtpmap:8 PCMA/8000
 *                                         a=rtpmap:101 telephone-event/8000
 *                                         a=fmtp:101 0-15
 *                                         a=ptime:20
 *                                         a=sendrecv
 * </pre>
 *
 * A broken offer (no {@code v=0} first, no {@code o=}, a bad {@code m=} or {@code c=} line, no connection for the
 * audio) is a 400; a well-formed offer without an acceptable audio stream is a 488.
 */
final class SdpAnswerer {

    private static final Pattern LINES = Pattern.compile("\r?\n");
    private static final Pattern SPACES = Pattern.compile(" +");

    private SdpAnswerer() {
    }

    /** The offer in {@code body}; {@link SdpOffer#NONE} when the body is empty. */
    static SdpOffer parse(byte[] body) throws SdpRejection {
        if (body == null || body.length == 0) {
            return SdpOffer.NONE;
        }
        String[] lines = LINES.split(new String(body, StandardCharsets.ISO_8859_1));
        if (lines.length == 0 || !lines[0].trim().equals("v=0")) {
            throw new SdpRejection(400, "SDP: first line is not v=0");
        }
        boolean sawOrigin = false;
        String sessionConnection = null;
        String sessionDirection = "sendrecv";
        int mediaCount = 0;
        int sectionStart = -1;
        Chosen chosen = new Chosen();
        String[] answers = new String[8];
        for (int i = 1; i <= lines.length; i++) {
            String line = i < lines.length ? lines[i].trim() : null;
            if (line != null && line.isEmpty()) {
                continue;
            }
            boolean media = line != null && line.startsWith("m=");
            if ((media || line == null) && sectionStart > 0) {
                if (mediaCount == answers.length) {
                    throw new SdpRejection(400, "SDP: more than " + answers.length + " m= lines");
                }
                answers[mediaCount] = section(lines, sectionStart, i, mediaCount, sessionConnection,
                        sessionDirection, chosen);
                mediaCount++;
            }
            if (line == null) {
                break;
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw new SdpRejection(400, "SDP: line " + (i + 1) + " is not <type>=<value>");
            }
            if (media) {
                sectionStart = i;
            } else if (sectionStart < 0) {
                switch (line.charAt(0)) {
                    case 'o' -> sawOrigin = true;
                    case 'c' -> sessionConnection = connectionAddress(line);
                    case 'a' -> sessionDirection = direction(line, sessionDirection);
                    default -> { }
                }
            }
        }
        if (!sawOrigin) {
            throw new SdpRejection(400, "SDP: no o= line");
        }
        if (mediaCount == 0) {
            throw new SdpRejection(400, "SDP: no m= line");
        }
        if (chosen.audioIndex < 0) {
            throw new SdpRejection(488, "SDP: no RTP/AVP audio stream with PCMU or PCMA");
        }
        String[] others = null;
        if (mediaCount > 1) {
            others = new String[mediaCount];
            System.arraycopy(answers, 0, others, 0, mediaCount);
        }
        return new SdpOffer(chosen.payloadType, chosen.codec, chosen.dtmf, mirror(chosen.direction),
                chosen.audioIndex, others, chosen.address, chosen.port);
    }

    /** The answer to {@code offer}, or the trunk's own offer when {@code offer} is {@link SdpOffer#NONE}. */
    static String answer(SdpOffer offer, String mediaAddress, int rtpPort, long sessionId, int version) {
        String addrType = mediaAddress.indexOf(':') >= 0 ? "IP6 " : "IP4 ";
        StringBuilder b = new StringBuilder(320);
        b.append("v=0\r\no=vmport ").append(sessionId).append(' ').append(version).append(" IN ").append(addrType)
                .append(mediaAddress).append("\r\ns=vmport\r\nc=IN ").append(addrType).append(mediaAddress)
                .append("\r\nt=0 0\r\n");
        int count = offer.otherMedia == null ? 1 : offer.otherMedia.length;
        for (int i = 0; i < count; i++) {
            if (i != offer.audioIndex) {
                b.append(offer.otherMedia[i]).append("\r\n");
                continue;
            }
            b.append("m=audio ").append(rtpPort).append(" RTP/AVP ");
            if (offer.payloadType < 0) {
                b.append("0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n");
            } else {
                b.append(offer.payloadType);
                if (offer.dtmfPayloadType >= 0) {
                    b.append(' ').append(offer.dtmfPayloadType);
                }
                b.append("\r\na=rtpmap:").append(offer.payloadType).append(' ').append(offer.codec)
                        .append("/8000\r\n");
            }
            if (offer.dtmfPayloadType >= 0) {
                b.append("a=rtpmap:").append(offer.dtmfPayloadType).append(" telephone-event/8000\r\na=fmtp:")
                        .append(offer.dtmfPayloadType).append(" 0-15\r\n");
            }
            b.append("a=ptime:20\r\na=").append(offer.direction).append("\r\n");
        }
        return b.toString();
    }

    /** The answer's m= line for the section [from, to) of {@code lines}; records the audio stream it takes. */
    private static String section(String[] lines, int from, int to, int index, String sessionConnection,
            String sessionDirection, Chosen chosen) throws SdpRejection {
        String[] m = SPACES.split(lines[from].trim().substring(2));
        if (m.length < 4) {
            throw new SdpRejection(400, "SDP: m= line needs media, port, proto and formats: " + lines[from]);
        }
        int slash = m[1].indexOf('/');
        int port = number(slash < 0 ? m[1] : m[1].substring(0, slash), 65_535, lines[from]);
        boolean rtpAvp = m[2].equalsIgnoreCase("RTP/AVP");
        String connection = sessionConnection;
        String direction = sessionDirection;
        for (int i = from + 1; i < to; i++) {
            String line = lines[i].trim();
            if (line.startsWith("c=")) {
                connection = connectionAddress(line);
            } else if (line.startsWith("a=")) {
                direction = direction(line, direction);
            }
        }
        if (!m[0].equals("audio") || port == 0 || !rtpAvp || chosen.audioIndex >= 0) {
            return rejected(m);
        }
        int payloadType = -1;
        String codec = null;
        int dtmf = SdpOffer.NO_DTMF;
        for (int f = 3; f < m.length; f++) {
            int pt = number(m[f], 127, lines[from]);
            String encoding = pt >= 96 ? rtpmap(lines, from + 1, to, m[f]) : null;
            if (payloadType < 0) {
                if (pt == 0 || "PCMU/8000".equalsIgnoreCase(encoding)) {
                    payloadType = pt;
                    codec = SdpOffer.PCMU;
                } else if (pt == 8 || "PCMA/8000".equalsIgnoreCase(encoding)) {
                    payloadType = pt;
                    codec = SdpOffer.PCMA;
                }
            }
            if (dtmf < 0 && encoding != null && encoding.equalsIgnoreCase("telephone-event/8000")) {
                dtmf = pt;
            }
        }
        if (payloadType < 0) {
            return rejected(m);
        }
        if (connection == null) {
            throw new SdpRejection(400, "SDP: no c= line for the audio stream");
        }
        chosen.audioIndex = index;
        chosen.payloadType = payloadType;
        chosen.codec = codec;
        chosen.dtmf = dtmf;
        chosen.direction = direction;
        chosen.address = connection;
        chosen.port = port;
        return null;
    }

    /** The answer's line for an m= line it does not take: the same media, port 0 (RFC 3264 section 6). */
    private static String rejected(String[] m) {
        return "m=" + m[0] + " 0 " + m[2] + " " + m[3];
    }

    /** The encoding name/rate of {@code a=rtpmap:<pt>} in lines [from, to), or null. */
    private static String rtpmap(String[] lines, int from, int to, String pt) {
        for (int i = from; i < to; i++) {
            String line = lines[i].trim();
            if (line.startsWith("a=rtpmap:") && line.startsWith(pt, 9) && line.length() > 10 + pt.length()
                    && line.charAt(9 + pt.length()) == ' ') {
                String value = line.substring(10 + pt.length()).trim();
                int channels = value.indexOf('/', value.indexOf('/') + 1);
                return channels < 0 ? value : value.substring(0, channels);
            }
        }
        return null;
    }

    /** The address of {@code c=IN IP4 <address>} (a multicast TTL suffix dropped); 400 for any other form. */
    private static String connectionAddress(String line) throws SdpRejection {
        String[] c = SPACES.split(line.substring(2).trim());
        if (c.length != 3 || !c[0].equals("IN") || !(c[1].equals("IP4") || c[1].equals("IP6")) || c[2].isEmpty()) {
            throw new SdpRejection(400, "SDP: bad connection line: " + line);
        }
        int slash = c[2].indexOf('/');
        return slash < 0 ? c[2] : c[2].substring(0, slash);
    }

    private static String direction(String line, String current) {
        return switch (line) {
            case "a=sendrecv" -> "sendrecv";
            case "a=sendonly" -> "sendonly";
            case "a=recvonly" -> "recvonly";
            case "a=inactive" -> "inactive";
            default -> current;
        };
    }

    private static String mirror(String offered) {
        return switch (offered) {
            case "sendonly" -> "recvonly";
            case "recvonly" -> "sendonly";
            default -> offered;
        };
    }

    private static int number(String s, int max, String line) throws SdpRejection {
        int n = 0;
        if (s.isEmpty() || s.length() > 5) {
            throw new SdpRejection(400, "SDP: bad number '" + s + "' in: " + line);
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                throw new SdpRejection(400, "SDP: bad number '" + s + "' in: " + line);
            }
            n = n * 10 + (ch - '0');
        }
        if (n > max) {
            throw new SdpRejection(400, "SDP: " + n + " is above " + max + " in: " + line);
        }
        return n;
    }

    /** The audio stream taken so far while parsing. */
    private static final class Chosen {
        int audioIndex = -1;
        int payloadType;
        String codec;
        int dtmf;
        String direction;
        String address;
        int port;
    }
}
