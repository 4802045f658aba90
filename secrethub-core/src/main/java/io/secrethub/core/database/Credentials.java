package io.secrethub.core.database;

import io.secrethub.core.crypto.Randoms;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import org.postgresql.util.PasswordUtil;

/**
 * Generated user names and passwords, and the values statement templates receive.
 *
 * <p>User names are {@code v_<role>_<16 random [a-z0-9]>} (about 83 random bits: unique without
 * coordination), within PostgreSQL's 63-byte limit and needing no quoting. Passwords are 32 random
 * letters and digits (about 190 bits). The password reaches the server only as its SCRAM-SHA-256
 * verifier, computed here by the PostgreSQL driver.
 */
final class Credentials {

    static final Pattern USERNAME = Pattern.compile("[a-z0-9_]{1,63}");
    static final int PASSWORD_LENGTH = 32;
    private static final int ROLE_PART = 20;
    private static final int RANDOM_PART = 16;
    private static final char[] LOWER_DIGITS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final char[] ALPHANUMERIC =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    /** PostgreSQL's timestamptz input form, always UTC. */
    private static final DateTimeFormatter EXPIRATION =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS'+00'").withZone(ZoneOffset.UTC);

    /**
     * PBKDF2 runs at once, at most one per core. A hundred callers hashing together on two cores starve the JIT
     * of the CPU it needs to compile the hash, and everything stalls in the interpreter: the load test saw no
     * credential at all for the first 5-11 s. Queued, each hash is fast and the callers take turns.
     */
    private static final Semaphore HASHING = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()),
            true);

    private Credentials() {
    }

    static String username(String role) {
        String part = role.replaceAll("[^a-z0-9_]", "_");
        if (part.length() > ROLE_PART) {
            part = part.substring(0, ROLE_PART);
        }
        return requireValidUsername("v_" + part + "_" + new String(random(RANDOM_PART, LOWER_DIGITS)));
    }

    /** The caller should zero the result once it has been handed out. */
    static char[] password() {
        return random(PASSWORD_LENGTH, ALPHANUMERIC);
    }

    /**
     * The value of {@code {{password}}}: the SCRAM-SHA-256 verifier PostgreSQL stores for
     * {@code password} (random salt, 4096 iterations). The driver zeroes the array it is given, so it
     * gets a copy.
     */
    static String verifier(char[] password) {
        HASHING.acquireUninterruptibly();
        try {
            return PasswordUtil.encodeScramSha256(password.clone());
        } finally {
            HASHING.release();
        }
    }

    static String expiration(Instant at) {
        return EXPIRATION.format(at);
    }

    /** A user name safe to put between double quotes and single quotes in a statement. */
    static String requireValidUsername(String username) {
        if (!USERNAME.matcher(username).matches()) {
            throw new IllegalStateException("generated user name is not [a-z0-9_]{1,63}");
        }
        return username;
    }

    private static char[] random(int length, char[] alphabet) {
        SecureRandom random = Randoms.secureRandom();
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return out;
    }
}
