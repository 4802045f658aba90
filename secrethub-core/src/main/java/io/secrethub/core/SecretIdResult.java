package io.secrethub.core;

import java.time.Instant;

/**
 * A freshly generated AppRole secret_id: the only time its plaintext exists server-side.
 *
 * @param secretId the secret_id ({@code shsid.} + 256 random bits, base64url)
 * @param accessor names the secret_id in audit and administration; cannot log in
 * @param expiresAt when it expires, or {@code null} if the role's secret_ids do not expire
 */
public record SecretIdResult(String secretId, String accessor, Instant expiresAt) {

    @Override
    public String toString() {
        return "SecretIdResult[secretId=(redacted), accessor=" + accessor + ", expiresAt=" + expiresAt + "]";
    }
}
