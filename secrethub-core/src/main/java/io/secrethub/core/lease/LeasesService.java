package io.secrethub.core.lease;

import io.secrethub.core.BackendException;
import io.secrethub.core.InvalidRequestException;
import io.secrethub.core.Lease;
import io.secrethub.core.LeaseState;
import io.secrethub.core.Leases;
import io.secrethub.core.NotFoundException;
import io.secrethub.core.access.Operation;
import io.secrethub.core.crypto.Hmacs;
import io.secrethub.core.request.RequestContext;
import io.secrethub.core.request.RequestPipeline;
import io.secrethub.core.storage.Database;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@code hub.leases()}: every call through the request pipeline (authenticated, authorized, audited). */
public final class LeasesService implements Leases {

    /** Leases queued per revoke-prefix transaction, so a huge prefix never makes one huge transaction. */
    private static final int PREFIX_CHUNK = 10_000;
    private static final int MAX_LIST = 1000;

    private final RequestPipeline pipeline;
    private final Database database;
    private final ExpirationManager manager;

    public LeasesService(RequestPipeline pipeline, Database database, ExpirationManager manager) {
        this.pipeline = pipeline;
        this.database = database;
        this.manager = manager;
    }

    @Override
    public Lease lookup(String token, String leaseId) {
        return pipeline.execute(Operation.LEASE_LOOKUP, token, leaseId, LeaseIds::validate, null,
                ctx -> existing(ctx.path()).verified(ctx.keys().system().rows()).lease());
    }

    @Override
    public Lease renew(String token, String leaseId, Duration increment) {
        return pipeline.execute(Operation.LEASE_RENEW, token, leaseId, LeaseIds::validate, null, ctx -> {
            if (increment != null && (increment.isNegative() || increment.isZero())) {
                throw new InvalidRequestException("increment must be positive (or null for the lease's TTL)");
            }
            Instant now = now(ctx);
            Runnable[] afterCommit = new Runnable[1];
            Lease renewed = database.transaction("renew a lease", c -> {
                StoredLease stored = LeaseStore.lock(c, ctx.path())
                        .orElseThrow(() -> new NotFoundException("no lease " + ctx.path()))
                        .verified(ctx.keys().system().rows());
                requireOwnerOrSudo(ctx, stored, Operation.LEASE_RENEW_OTHERS);
                Lease lease = stored.lease();
                if (lease.state() != LeaseState.ACTIVE || !lease.expiresAt().isAfter(now)) {
                    throw new InvalidRequestException("lease " + lease.id() + " has expired or is revoked ("
                            + lease.state().name().toLowerCase(Locale.ROOT) + "); it cannot be renewed");
                }
                if (!lease.renewable()) {
                    throw new InvalidRequestException("lease " + lease.id() + " is not renewable");
                }
                Instant wanted = now.plus(increment != null ? increment : lease.ttl()).truncatedTo(ChronoUnit.MICROS);
                Instant expiry = lease.maxExpiresAt() != null && wanted.isAfter(lease.maxExpiresAt())
                        ? lease.maxExpiresAt() : wanted;
                LeaseHandler handler = manager.handler(stored.kind());
                if (handler == null) {
                    throw new IllegalStateException("no handler for lease kind " + stored.kind());
                }
                afterCommit[0] = handler.renew(c, lease.id(), stored.payload(), expiry, ctx.keys());
                LeaseStore.setExpiry(c, lease.id(), expiry);
                ctx.auditSuccess("capped=" + !expiry.equals(wanted));
                return LeaseStore.find(c, lease.id()).orElseThrow().lease();
            });
            afterCommit[0].run();
            return renewed;
        });
    }

    @Override
    public void revoke(String token, String leaseId) {
        pipeline.execute(Operation.LEASE_REVOKE, token, leaseId, LeaseIds::validate, null, ctx -> {
            Instant claimUntil = now(ctx).plus(manager.settings().claimTimeout());
            // Who obtained it is fixed when it is issued (and under its MAC), so checking before the claim holds.
            StoredLease stored = existing(ctx.path()).verified(ctx.keys().system().rows());
            requireOwnerOrSudo(ctx, stored, Operation.LEASE_REVOKE_OTHERS);
            // The claim decides the revocation (from here on the lease is revoked, by this call or, should it fail,
            // by the expiration manager's retries), so it commits together with the call's audit record: a lease is
            // never revoked on request without a record, nor a record left for a revocation that was not taken up.
            Optional<ClaimedLease> claimed = database.transaction("claim a lease for revocation", c -> {
                Optional<ClaimedLease> claim = LeaseStore.claimForRevoke(c, ctx.path(), claimUntil);
                claim.ifPresent(l -> l.verify(ctx.keys().system().rows())); // tampered: refused, nothing claimed
                ctx.auditSuccess(claim.isPresent() ? "claimed" : "nothing-to-do"); // revoked already, or queued
                return claim;
            });
            if (claimed.isEmpty()) {
                return null;
            }
            ClaimedLease lease = claimed.get();
            String error = manager.attempt(manager.handler(lease.kind()), List.of(lease), ctx.keys());
            if (error != null) {
                boolean gaveUp = lease.attempts() >= manager.settings().maxAttempts();
                throw new BackendException("lease " + lease.leaseId() + " could not be revoked now (" + error + "); "
                        + (gaveUp ? "it is marked irrevocable" : "it stays queued and will be retried"));
            }
            return null;
        });
    }

    @Override
    public int revokePrefix(String token, String prefix) {
        return pipeline.execute(Operation.LEASE_REVOKE_PREFIX, token, prefix, LeaseIds::validatePrefix, null, ctx -> {
            Instant now = now(ctx);
            // The first chunk commits together with the audit record, so no lease is queued without one; a prefix
            // with more leases goes on in further chunks (a failure there is recorded as not completed).
            int first = database.transaction("queue leases for revocation", c -> {
                int n = LeaseStore.queuePrefix(c, ctx.path(), now, PREFIX_CHUNK);
                ctx.auditSuccess("queued=" + n + (n == PREFIX_CHUNK ? "+" : ""));
                return n;
            });
            int total = first;
            int queued = first;
            try {
                while (queued == PREFIX_CHUNK) {
                    queued = database.autocommit("queue leases for revocation",
                            c -> LeaseStore.queuePrefix(c, ctx.path(), now, PREFIX_CHUNK));
                    total += queued;
                }
            } finally {
                manager.wake();
            }
            return total;
        });
    }

    @Override
    public List<Lease> irrevocable(String token, int limit) {
        return pipeline.execute(Operation.LEASE_IRREVOCABLE, token, null, RequestPipeline.NO_PATH, null, ctx -> {
            if (limit < 1 || limit > MAX_LIST) {
                throw new InvalidRequestException("limit must be between 1 and " + MAX_LIST + ", was " + limit);
            }
            return database.autocommit("list irrevocable leases", c -> LeaseStore.irrevocable(c, limit))
                    .stream().map(StoredLease::lease).toList();
        });
    }

    /**
     * Renewing or revoking a lease by id is for the token that obtained it, or for a caller with {@code update} and
     * {@code sudo} on the lease's path ({@code others}' policy path for the lease id), as in Vault.
     *
     * @throws PermissionDeniedException otherwise (audited as a denial by the pipeline)
     */
    private void requireOwnerOrSudo(RequestContext ctx, StoredLease lease, Operation others) {
        String owner = lease.ownerAccessor();
        boolean owns = owner != null && Hmacs.equal(owner.getBytes(StandardCharsets.UTF_8),
                ctx.caller().accessor().getBytes(StandardCharsets.UTF_8));
        if (!owns) {
            pipeline.access().authorize(ctx.caller(), others, lease.lease().id());
        }
    }

    private StoredLease existing(String leaseId) {
        return database.autocommit("look up a lease", c -> LeaseStore.find(c, leaseId))
                .orElseThrow(() -> new NotFoundException("no lease " + leaseId));
    }

    private static Instant now(RequestContext ctx) {
        return ctx.time().truncatedTo(ChronoUnit.MICROS);
    }
}
