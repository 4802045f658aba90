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
