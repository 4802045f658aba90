package io.secrethub.core.pki;

import io.secrethub.core.InvalidRequestException;

/**
 * The syntax of agent ids and the URI that names an agent in its certificate.
 *
 * <p>An id is 1 to 64 characters of ASCII letters, digits, '.', '_' and '-', starting with a
 * letter or digit. 64 is X.520's upper bound for a common name, and the narrow charset keeps the id
 * safe to embed, unescaped, in a distinguished name, a URN, a log line and a storage path.
 */
public final class AgentIds {

    /** The longest accepted agent id (X.520 {@code ub-common-name}). */
    public static final int MAX_LENGTH = 64;

    /** Prefix of the SAN URI that carries the agent id in an issued certificate. */
    public static final String URI_PREFIX = "urn:secrethub:agent:";

    private AgentIds() {
    }

    /** Whether {@code id} is a syntactically valid agent id. */
    public static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH || !isAlphanumeric(id.charAt(0))) {
            return false;
        }
        for (int i = 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!isAlphanumeric(c) && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns {@code id} if it is valid.
     *
     * @throws InvalidRequestException naming the rule it breaks; the id itself is echoed only
     *         when it is short and printable, so a hostile value cannot flood or forge a log line
     */
    public static String requireValid(String id) {
        if (!isValid(id)) {
            throw new InvalidRequestException("invalid agent id " + describe(id) + ": expected 1-" + MAX_LENGTH
                    + " characters of A-Z, a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
        }
        return id;
    }

    /** The SAN URI naming the agent, {@code urn:secrethub:agent:<id>}. */
    public static String uri(String id) {
        return URI_PREFIX + requireValid(id);
    }

    private static boolean isAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** A log-safe rendering of an untrusted id. */
    static String describe(String id) {
        if (id == null) {
            return "(null)";
        }
        if (id.isEmpty()) {
            return "(empty)";
        }
        if (id.length() > 2 * MAX_LENGTH) {
            return "(" + id.length() + " characters)";
        }
        StringBuilder out = new StringBuilder(id.length() + 2).append('"');
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.append('"').toString();
    }
}
