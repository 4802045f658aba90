package io.secrethub.core;

import java.time.Duration;
import java.util.List;

/**
 * {@code hub.leases()}: the lifetimes of what SecretHub hands out. Every non-root token and every
 * dynamic credential has a lease; when it expires the expiration manager revokes it in the background
 * (bounded concurrency, retries with backoff), on whichever instance gets to it first, even if its
 * owner never comes back.
 *
 * <p>Policy paths (Vault's): {@code sys/leases/lookup}, {@code sys/leases/renew} (update; both in the
 * built-in {@code default} policy: a lease id is the proof), {@code sys/leases/revoke} (update),
 * {@code sys/leases/revoke-prefix/<prefix>} (update + sudo), {@code sys/leases/irrevocable}
 * (read + sudo).
 */
public interface Leases {

    /** The lease {@code leaseId}. @throws NotFoundException if there is none (or it was purged) */
    Lease lookup(String token, String leaseId);

    /**
     * Extends an active, renewable lease to expire {@code increment} from now (its original TTL when
     * {@code increment} is {@code null}), never past its max TTL. What the lease stands for follows: a
     * token's expiry, a database user's {@code VALID UNTIL}.
     *
     * @throws InvalidRequestException if it is not renewable, expired or being revoked
     * @throws BackendException if the database refused the renewal statements (the lease is unchanged)
     */
    Lease renew(String token, String leaseId, Duration increment);

    /**
     * Revokes the lease now: deletes its token, drops its database user. Revoking a revoked lease (or
     * one the expiration manager is revoking right now) does nothing; an irrevocable lease is tried
     * again.
     *
     * @throws BackendException if this attempt failed; the lease stays queued and is retried in the
     *     background with backoff
     */
    void revoke(String token, String leaseId);

    /**
     * Queues every active or irrevocable lease whose id starts with {@code prefix} for revocation and
     * returns how many. The expiration manager revokes them in the background at its bounded
     * concurrency, so a mass revocation cannot starve the requests the server is serving.
     */
    int revokePrefix(String token, String prefix);

    /** Up to {@code limit} (1-1000) leases marked {@link LeaseState#IRREVOCABLE}, by id. */
    List<Lease> irrevocable(String token, int limit);
}
