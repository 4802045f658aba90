package io.secrethub.core.access;

import io.secrethub.core.InvalidTokenException;
import io.secrethub.core.PermissionDeniedException;
import io.secrethub.core.token.TokenEntry;
import io.secrethub.core.token.TokenStore;
import java.time.Clock;
import java.util.Objects;

/**
 * Authentication (token → {@link Caller}) and authorization (caller × operation × path → allowed?).
 * Kept as two steps so the request pipeline can audit a denial with the caller's accessor.
 */
public final class AccessControl {

    private final TokenStore tokens;
    private final Clock clock;
    private volatile Authorizer authorizer;

    public AccessControl(TokenStore tokens, Clock clock, Authorizer authorizer) {
        this.tokens = tokens;
        this.clock = clock;
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    }

    /**
     * The caller presenting {@code token}.
     *
     * @throws InvalidTokenException if the token is missing, unknown (or revoked) or expired
     */
    public Caller authenticate(String token) {
        if (token == null || token.isEmpty()) {
            throw new InvalidTokenException("missing token");
        }
        TokenEntry entry = tokens.lookup(token).orElseThrow(() -> new InvalidTokenException("invalid token"));
        if (entry.expiredAt(clock.instant())) {
            throw new InvalidTokenException("token expired");
        }
        return new Caller(entry);
    }

    /** @throws PermissionDeniedException if the authorizer does not allow it */
    public void authorize(Caller caller, Operation operation, String path) {
        if (!authorizer.allows(caller, operation, path)) {
            throw new PermissionDeniedException("permission denied: " + operation.auditName()
                    + (path == null ? "" : " on " + path));
        }
    }

    /** Replaces the authorizer (the policy engine installs itself here). */
    public void authorizer(Authorizer next) {
        this.authorizer = Objects.requireNonNull(next, "authorizer");
    }
}
