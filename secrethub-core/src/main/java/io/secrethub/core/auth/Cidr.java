package io.secrethub.core.auth;

import io.secrethub.core.InvalidRequestException;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network, e.g. {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a bare address is a
 * single-host network. Host bits below the prefix are ignored, as Vault does. Immutable.
 */
public final class Cidr {

    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private Cidr(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
    }

    /**
     * Parses {@code text}.
     *
     * @throws InvalidRequestException if it is not an address literal with an optional valid prefix length
     */
    public static Cidr parse(String text) {
        if (text == null) {
            throw new InvalidRequestException("CIDR must not be null");
        }
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes;
        try {
            bytes = IpAddresses.parse(address).getAddress();
        } catch (InvalidRequestException e) {
            throw new InvalidRequestException("invalid CIDR block: " + safe(text));
        }
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new InvalidRequestException("invalid CIDR prefix length: " + safe(text));
            }
            prefix = Integer.parseInt(p);
            if (prefix > bits) {
                throw new InvalidRequestException("invalid CIDR prefix length: " + safe(text));
            }
        }
        mask(bytes, prefix);
        return new Cidr(bytes, prefix, text);
    }

    /** Whether {@code address} lies in this network (an IPv4 address never matches an IPv6 network). */
    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        mask(candidate, prefixLength);
        return Arrays.equals(candidate, network);
    }

    /**
     * The canonical text of this network: host bits cleared, the prefix length always written, IPv6 in
     * RFC 5952 form (lowercase, the longest run of zero groups as {@code ::}). Two blocks denote the same
     * network exactly when their normalized texts are equal, e.g. {@code 10.1.2.3/8} and {@code 10.0.0.0/8}.
     */
    public String normalized() {
        return (network.length == 4 ? ipv4(network) : ipv6(network)) + "/" + prefixLength;
    }

    private static String ipv4(byte[] address) {
        return (address[0] & 0xFF) + "." + (address[1] & 0xFF) + "." + (address[2] & 0xFF) + "." + (address[3] & 0xFF);
    }

    private static String ipv6(byte[] address) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xFF) << 8) | (address[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1; // RFC 5952 4.2.2: a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    /** The text it was parsed from. */
    @Override
    public String toString() {
        return text;
    }

    private static void mask(byte[] bytes, int prefix) {
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] &= (byte) (0xFF << (8 - keep));
        }
    }

    private static String safe(String text) {
        String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
