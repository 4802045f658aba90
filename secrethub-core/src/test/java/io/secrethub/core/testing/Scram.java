package io.secrethub.core.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a password against a PostgreSQL SCRAM-SHA-256 verifier ({@code pg_authid.rolpassword}), the
 * way the server would (RFC 5802/7677). The local test server trusts every login, so this is how a
 * test proves that the password handed out is the one the server holds.
 */
public final class Scram {

    private Scram() {
    }

    /**
     * Whether {@code password} matches {@code verifier} ({@code SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>}).
     */
    public static boolean matches(String verifier, String password) throws GeneralSecurityException {
        if (verifier == null || !verifier.startsWith("SCRAM-SHA-256$")) {
            return false;
        }
        String[] parts = verifier.substring("SCRAM-SHA-256$".length()).split("[$:]");
        int iterations = Integer.parseInt(parts[0]);
        byte[] salt = Base64.getDecoder().decode(parts[1]);
        byte[] storedKey = Base64.getDecoder().decode(parts[2]);
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
        byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salted, "HmacSHA256"));
        byte[] clientKey = mac.doFinal("Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] computed = MessageDigest.getInstance("SHA-256").digest(clientKey);
        return MessageDigest.isEqual(computed, storedKey);
    }
}
