package io.vmport.config;

import java.net.InetAddress;
import java.util.Optional;

/**
 * A block of IPv4 or IPv6 addresses, e.g. {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a single address
 * without a prefix is the block of that address alone ({@code /32} or {@code /128}). The network address may
 * have no bit set past the prefix: {@code 10.1.2.3/8} is refused rather than read as {@code 10.0.0.0/8}.
 */
public record Cidr(InetAddress network, int prefixLength) {
    static final String ALLOWED = "an IPv4 or IPv6 address or CIDR block, e.g. 10.0.0.0/8, 192.168.1.20 or "
            + "2001:db8::/32";

    public Cidr {
        if (network == null) {
            throw new IllegalArgumentException("network is null");
        }
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length of " + Hosts.format(network) + " must be 0 to "
                    + bits + ", not " + prefixLength);
        }
        if (!masked(network, prefixLength).equals(network)) {
            throw new IllegalArgumentException(Hosts.format(network) + " has bits set past the prefix /"
                    + prefixLength);
        }
    }

    /** Parses {@code address[/prefix]}; a refusal names {@code field}, the text and the forms allowed. */
    public static Cidr parse(String field, String text) {
        Checks.present(field, text, ALLOWED);
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        Optional<InetAddress> address = Hosts.ipLiteral(addressText);
        if (address.isEmpty()) {
            throw new ConfigException(field, text, ALLOWED);
        }
        int bits = address.get().getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String prefixText = text.substring(slash + 1);
            if (!prefixText.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(prefixText) > bits) {
                throw new ConfigException(field, text, ALLOWED + " (the prefix after / is 0 to " + bits + ")");
            }
            prefix = Integer.parseInt(prefixText);
        }
        InetAddress network = masked(address.get(), prefix);
        if (!network.equals(address.get())) {
            throw new ConfigException(field, text, ALLOWED + " (no address bit set past the prefix: did you mean "
                    + Hosts.format(network) + "/" + prefix + "?)");
        }
        return new Cidr(network, prefix);
    }

    /** Whether the address is in this block; an address of the other IP family never is. */
    public boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] candidate = address.getAddress();
        byte[] block = network.getAddress();
        if (candidate.length != block.length) {
            return false;
        }
        for (int i = 0; i < block.length; i++) {
            int keep = Math.min(8, Math.max(0, prefixLength - 8 * i));
            if (keep == 0) {
                return true;
            }
            int mask = (0xff << (8 - keep)) & 0xff;
            if (((candidate[i] ^ block[i]) & mask) != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return Hosts.format(network) + "/" + prefixLength;
    }

    private static InetAddress masked(InetAddress address, int prefixLength) {
        byte[] bytes = address.getAddress();
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.min(8, Math.max(0, prefixLength - 8 * i));
            bytes[i] &= (byte) (0xff << (8 - keep));
        }
        return Hosts.byAddress(bytes);
    }
}
