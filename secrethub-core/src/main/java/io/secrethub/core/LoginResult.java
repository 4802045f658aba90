package io.secrethub.core;

import java.time.Duration;
import java.util.List;

/**
 * A successful login.
 *
 * @param token the new token ({@code shs.} + 256 random bits); stored only as a hash
 * @param accessor names the token for revocation and audit
 * @param policies the token's policies ({@code default} and the role's), sorted
 * @param ttl how long the token lives unless renewed
 * @param leaseId the token's lease ({@code auth/approle/login/…}): {@code hub.leases()} renews or revokes it
 */
public record LoginResult(String token, String accessor, List<String> policies, Duration ttl, String leaseId) {

    public LoginResult {
        policies = List.copyOf(policies);
    }

    @Override
    public String toString() {
        return "LoginResult[token=(redacted), accessor=" + accessor + ", policies=" + policies + ", ttl=" + ttl
                + ", leaseId=" + leaseId + "]";
    }
}
