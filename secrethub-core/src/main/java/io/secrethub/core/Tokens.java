package io.secrethub.core;

import java.time.Duration;

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
}
