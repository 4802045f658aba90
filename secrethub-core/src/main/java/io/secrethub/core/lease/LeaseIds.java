package io.secrethub.core.lease;

import io.secrethub.core.InvalidRequestException;
import io.secrethub.core.crypto.Randoms;

/**
 * Lease ids: the path that created the lease, {@code /}, the time it was issued (milliseconds since the epoch, 11
 * lowercase hex digits) and 128 random bits (base64url), e.g.
 * {@code database/creds/readonly/0196f3a2b1c3q2-7wEjvPZ1Tx0Xd9s1Kg}.
 * The path makes prefix revocation meaningful ("everything issued by this role"); the random part makes ids
 * unguessable and unique. A lease id is never derived from a token or an accessor.
 *
 * <p>The time is there for the primary key: leases issued together are neighbours in {@code leases_pkey}, and since
 * leases issued together mostly expire together, an expiry storm's index writes (a revoked lease's new row version
 * gets a new index entry) land on a few leaf pages instead of one random page each, every one of which costs a
 * full-page image in the WAL after a checkpoint. Issuing is cheaper the same way (appends at the right edge of the
 * path's range). The time is hardly a secret: {@code lookup} returns it as {@code issuedAt}.
 */
public final class LeaseIds {

    public static final int MAX_LENGTH = 512;
    private static final int RANDOM_BYTES = 16;
    /** Hex digits of the time: milliseconds since the epoch stay in 11 until the year 2527. */
    private static final int TIME_DIGITS = 11;

    private LeaseIds() {
    }

    /** A new id under {@code path} (a SecretHub path such as {@code auth/approle/login}), issued now. */
    public static String newId(String path) {
        return newId(path, System.currentTimeMillis());
    }

    /** A new id under {@code path} issued at {@code epochMillis}: ids sort by that time within a path. */
    static String newId(String path, long epochMillis) {
        String hex = Long.toHexString(epochMillis);
        return path + "/" + "0".repeat(Math.max(0, TIME_DIGITS - hex.length())) + hex
                + Randoms.base64Url(RANDOM_BYTES);
    }

    /** {@code leaseId} if it is well formed. @throws InvalidRequestException naming the problem */
    public static String validate(String leaseId) {
        String problem = problem(leaseId, false);
        if (problem != null) {
            throw new InvalidRequestException("invalid lease id: " + problem);
        }
        return leaseId;
    }

    /** A revoke-prefix argument: like a lease id, but it may end with {@code /}. */
    public static String validatePrefix(String prefix) {
        String problem = problem(prefix, true);
        if (problem != null) {
            throw new InvalidRequestException("invalid lease prefix: " + problem);
        }
        return prefix;
    }

    /**
     * The smallest string greater than every string starting with {@code prefix}, for a range scan
     * under {@code COLLATE "C"}: the allowed characters are ASCII and none is the last code point, so
     * incrementing the last character is enough.
     */
    static String upperBound(String prefix) {
        char last = prefix.charAt(prefix.length() - 1);
        return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
    }

    private static String problem(String id, boolean prefix) {
        if (id == null || id.isEmpty()) {
            return "it is empty";
        }
        if (id.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '/' || c == '-' || c == '_' || c == '.';
            if (!ok) {
                return "character " + (i + 1) + " is not one of a-z, A-Z, 0-9, '/', '-', '_', '.'";
            }
        }
        String body = prefix && id.endsWith("/") ? id.substring(0, id.length() - 1) : id;
        if (body.isEmpty() || body.startsWith("/") || body.endsWith("/") || body.contains("//")) {
            return "it has an empty segment (leading, trailing or double '/')";
        }
        for (String segment : body.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                return "it has a '.' or '..' segment";
            }
        }
        return null;
    }
}
