package io.secrethub.core.auth;

import io.secrethub.core.InvalidRequestException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Parses IP address <em>literals</em> only. {@link InetAddress#getByName} would resolve a host name
 * through DNS, which an untrusted client address must never trigger (latency, and an address that
 * changes under us), so anything but a literal is refused before it gets there.
 */
public final class IpAddresses {

    /** Longest IPv6 literal, e.g. {@code ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255}. */
    private static final int MAX_LENGTH = 45;

    private IpAddresses() {
    }

    /**
     * The address {@code literal} denotes (IPv4 dotted quad or IPv6, no zone id, no brackets).
     *
     * @throws InvalidRequestException if it is not such a literal
     */
    public static InetAddress parse(String literal) {
        if (literal == null || literal.isEmpty() || literal.length() > MAX_LENGTH) {
            throw invalid();
        }
        if (literal.indexOf(':') < 0) {
            return InetAddressV4.parse(literal);
        }
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':'
                    || c == '.';
            if (!ok) {
                throw invalid();
            }
        }
        try {
            return InetAddress.getByName(literal); // a literal with ':' is parsed, never looked up
        } catch (UnknownHostException e) {
            throw invalid();
        }
    }

    static InvalidRequestException invalid() {
        return new InvalidRequestException("client address is not an IPv4 or IPv6 literal");
    }

    /** Strict dotted quad: four decimal octets, no leading zeros (which some parsers read as octal). */
    private static final class InetAddressV4 {
        static InetAddress parse(String s) {
            byte[] bytes = new byte[4];
            int part = 0;
            int value = -1;
            int digits = 0;
            for (int i = 0; i <= s.length(); i++) {
                char c = i == s.length() ? '.' : s.charAt(i);
                if (c == '.') {
                    if (digits == 0 || part > 3) {
                        throw invalid();
                    }
                    bytes[part++] = (byte) value;
                    value = -1;
                    digits = 0;
                } else if (c >= '0' && c <= '9') {
                    if (digits > 0 && value == 0) {
                        throw invalid();
                    }
                    value = (value < 0 ? 0 : value * 10) + (c - '0');
                    if (++digits > 3 || value > 255) {
                        throw invalid();
                    }
                } else {
                    throw invalid();
                }
            }
            if (part != 4) {
                throw invalid();
            }
            try {
                return InetAddress.getByAddress(bytes);
            } catch (UnknownHostException e) {
                throw invalid();
            }
        }
    }
}
