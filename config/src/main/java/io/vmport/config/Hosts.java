package io.vmport.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Host names and IP address literals as written in the configuration. Nothing here resolves a name: a
 * configuration is checked the same way whether DNS answers or not, and {@code 10.1} is not quietly read as
 * {@code 10.0.0.1} the way {@link InetAddress#getByName} would.
 */
final class Hosts {
    static final String HOST_TEXT = "an IP address (e.g. 127.0.0.1 or ::1) or a host name (e.g. vm1.example.com)";

    /** A host name label; underscores too, as container and service names use them. */
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final int MAX_NAME_LENGTH = 253;

    private Hosts() {
    }

    /** Refuses anything that is neither an IP literal nor a syntactically valid host name. */
    static String requireHost(String field, String host) {
        Checks.present(field, host, HOST_TEXT);
        if (ipLiteral(host).isEmpty() && !isHostName(host)) {
            throw new ConfigException(field, host, HOST_TEXT);
        }
        return host;
    }

    /**
     * An IPv4 literal in strict dotted-quad form, or an IPv6 literal without brackets or zone; empty for
     * anything else (which may still be a host name).
     */
    static Optional<InetAddress> ipLiteral(String text) {
        if (text.indexOf(':') >= 0) {
            return ipv6(text);
        }
        return ipv4(text);
    }

    static boolean isHostName(String text) {
        String name = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            return false;
        }
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        // A name whose last label is all digits would be read as a (short-form) IPv4 address: refuse it.
        return !DIGITS.matcher(labels[labels.length - 1]).matches();
    }

    /** Whether a listener bound on {@code a} and one bound on {@code b} could take the same address. */
    static boolean mayOverlap(String a, String b) {
        Optional<InetAddress> ipA = ipLiteral(a);
        Optional<InetAddress> ipB = ipLiteral(b);
        if (ipA.map(InetAddress::isAnyLocalAddress).orElse(false)
                || ipB.map(InetAddress::isAnyLocalAddress).orElse(false)) {
            return true;
        }
        if (ipA.isPresent() && ipB.isPresent()) {
            return ipA.get().equals(ipB.get());
        }
        if (ipA.isEmpty() && ipB.isEmpty()) {
            return stripDot(a).equalsIgnoreCase(stripDot(b));
        }
        String name = ipA.isEmpty() ? a : b;
        InetAddress ip = ipA.orElseGet(ipB::get);
        return stripDot(name).equalsIgnoreCase("localhost") && ip.isLoopbackAddress();
    }

    /** The address as text: dotted quad, or IPv6 in its shortest form (RFC 5952), e.g. {@code 2001:db8::1}. */
    static String format(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    private static Optional<InetAddress> ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            // no leading zeros: 010 is octal to some tools and decimal to others
            if (part.isEmpty() || part.length() > 3 || !DIGITS.matcher(part).matches()
                    || (part.length() > 1 && part.charAt(0) == '0')) {
                return Optional.empty();
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) value;
        }
        return Optional.of(byAddress(bytes));
    }

    private static Optional<InetAddress> ipv6(String text) {
        // Only hex digits, colons and dots: InetAddress then parses a literal and never asks DNS.
        if (!IPV6_CHARS.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            InetAddress address = InetAddress.getByName(text);
            // ::ffff:a.b.c.d comes back as an IPv4 address: refused, IPv4 is written in dotted form.
            return address instanceof Inet6Address ? Optional.of(address) : Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length, e);
        }
    }

    private static String stripDot(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
