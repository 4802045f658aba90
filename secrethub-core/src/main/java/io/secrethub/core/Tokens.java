package io.secrethub.core;

import java.time.Duration;
import java.util.List;

/**
 * {@code hub.auth().tokens()}: a token's own housekeeping and revocation by accessor.
 *
 * <p>Policy paths: {@code auth/token/lookup-self} (read), {@code auth/token/renew-self},
 * {@code auth/token/revoke-self} (update) — all three in the built-in {@code default} policy — and
 * {@code auth/token/revoke-accessor} (update). Expired tokens are refused with
 * {@link InvalidTokenException}.
 */
public interface Tokens {

    /** What is known about {@code token} (never the token itself). */
    TokenInfo lookup(String token);

    /**
     * Extends {@code token} to expire {@code increment} from now (or its original TTL when
     * {@code increment} is {@code null}), never past its max TTL. A token without expiry (root) is
     * returned unchanged.
     */
    TokenInfo renew(String token, Duration increment);

    /**
     * Revokes the token with accessor {@code accessorToRevoke} and every token descended from it.
     *
     * @throws NotFoundException if there is no such token
     */
    void revoke(String token, String accessorToRevoke);

    /** Revokes {@code token} itself and its descendants. */
    void revokeSelf(String token);

    /** Longest TTL of a created token (Vault's default system max TTL). */
    Duration MAX_CREATED_TTL = Duration.ofDays(32);

    /**
     * Creates a token that descends from {@code token} (revoking the parent revokes it), as Vault's
     * {@code auth/token/create} (policy path, update).
     *
     * @param policies its policies; empty for the caller's own. A caller without {@code root} may grant
     *     only policies it holds itself; {@code default} is always added
     * @param ttl its TTL, or {@code null} for {@link #MAX_CREATED_TTL}; never past the caller's own expiry
     * @param displayName a label for audit and lookups ({@code token-} is prefixed)
     * @throws PermissionDeniedException if a policy is not the caller's to grant
     */
    LoginResult create(String token, List<String> policies, Duration ttl, String displayName);

    /**
     * What is known about {@code otherToken} (Vault's {@code auth/token/lookup}, policy path, update).
     *
     * @throws InvalidRequestException ("bad token") if it is unknown, revoked or expired
     */
    TokenInfo lookup(String token, String otherToken);

    /**
     * Revokes {@code otherToken} and its descendants (Vault's {@code auth/token/revoke}, policy path,
     * update). An unknown or already revoked token is not an error.
     */
    void revokeToken(String token, String otherToken);
}
