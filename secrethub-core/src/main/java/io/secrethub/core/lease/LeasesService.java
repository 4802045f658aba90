package io.secrethub.core.lease;

import io.secrethub.core.BackendException;
import io.secrethub.core.InvalidRequestException;
import io.secrethub.core.Lease;
import io.secrethub.core.LeaseState;
import io.secrethub.core.Leases;
import io.secrethub.core.NotFoundException;
import io.secrethub.core.access.Operation;
import io.secrethub.core.request.RequestContext;
import io.secrethub.core.request.RequestPipeline;
import io.secrethub.core.storage.Database;
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
            Optional<ClaimedLease> claimed = database.autocommit("claim a lease for revocation",
                    c -> LeaseStore.claimForRevoke(c, ctx.path(), claimUntil));
            if (claimed.isEmpty()) {
                // revoked already, or queued: either way there is nothing more to do now
                existing(ctx.path());
                return null;
            }
            ClaimedLease lease = claimed.get();
            lease.verify(ctx.keys().system().rows()); // a tampered row is refused here; the manager reports it
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
            int total = 0;
            int queued;
            do {
                queued = database.autocommit("queue leases for revocation",
                        c -> LeaseStore.queuePrefix(c, ctx.path(), now, PREFIX_CHUNK));
                total += queued;
            } while (queued == PREFIX_CHUNK);
            ctx.auditSuccess("queued=" + total);
            manager.wake();
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

    private StoredLease existing(String leaseId) {
        return database.autocommit("look up a lease", c -> LeaseStore.find(c, leaseId))
                .orElseThrow(() -> new NotFoundException("no lease " + leaseId));
    }

    private static Instant now(RequestContext ctx) {
        return ctx.time().truncatedTo(ChronoUnit.MICROS);
    }
}
