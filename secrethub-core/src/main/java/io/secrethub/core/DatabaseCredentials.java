package io.secrethub.core;

import java.time.Duration;
import java.time.Instant;

/**
 * A database user made for one caller. The password exists only here: SecretHub does not store it,
 * and the server received only its SCRAM verifier. {@link #toString()} does not print it.
 *
 * @param username the PostgreSQL user ({@code v_<role>_<random>}: a-z, 0-9 and {@code _} only)
 * @param password 32 random letters and digits (about 190 bits)
 * @param leaseId the lease ({@code database/creds/<role>/…}) to renew or revoke it with
 * @param leaseDuration how long it is valid unless renewed
 * @param renewable whether the lease can be renewed
 * @param expiresAt when the lease, and the user's {@code VALID UNTIL}, end
 */
public record DatabaseCredentials(String username, String password, String leaseId, Duration leaseDuration,
        boolean renewable, Instant expiresAt) {

    @Override
    public String toString() {
        return "DatabaseCredentials[username=" + username + ", password=(redacted), leaseId=" + leaseId
                + ", leaseDuration=" + leaseDuration + "]";
    }
}
