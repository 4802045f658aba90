package io.secrethub.core.token;

import io.secrethub.core.NotFoundException;
import io.secrethub.core.keyring.CoreKeys;
import io.secrethub.core.lease.ClaimedLease;
import io.secrethub.core.lease.LeaseHandler;
import io.secrethub.core.lease.LeaseStore;
import io.secrethub.core.storage.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Token leases: revoking one deletes its token and the token's descendants (their leases are marked
 * revoked with it) and queues the leases those tokens obtained, which the expiration manager then revokes.
 * Many at once in one transaction: it is all SecretHub's own database, so a chunk costs about what one lease does.
 */
public final class TokenLeaseHandler implements LeaseHandler {

    private static final int CHUNK = 100;

    private final Database database;
    private final TokenStore tokens;
    private final Clock clock;

    public TokenLeaseHandler(Database database, TokenStore tokens, Clock clock) {
        this.database = database;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return TokenStore.LEASE_KIND;
    }

    @Override
    public int chunkSize() {
        return CHUNK;
    }

    @Override
    public void revoke(List<ClaimedLease> chunk, CoreKeys keys) {
        database.transaction("revoke token leases", c -> revoke(c, chunk, keys)).run();
    }

    @Override
    public boolean revokesInTransaction() {
        return true;
    }

    @Override
    public Runnable revoke(Connection c, List<ClaimedLease> chunk, CoreKeys keys) throws SQLException {
        String[] ids = chunk.stream().map(ClaimedLease::leaseId).toArray(String[]::new);
        TokenStore.Deleted deleted = tokens.deleteByLeases(c, ids);
        // Descendants' leases go with their tokens; the claimed ones are marked by the manager.
        Set<String> claimed = new HashSet<>(List.of(ids));
        String[] descendants = deleted.leaseIds().stream().filter(id -> !claimed.contains(id))
                .toArray(String[]::new);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        LeaseStore.markRevoked(c, descendants, now);
        // What the expired tokens obtained goes with them. The chunk's own leases are not queued again: claimed ones
        // are 'revoking', and the expiration manager marks those it revokes in this transaction 'revoked' first.
        LeaseStore.queueOwned(c, deleted.accessors(), now);
        return () -> tokens.forgetAll(deleted.hashes());
    }

    @Override
    public Runnable renew(Connection c, String leaseId, byte[] payload, Instant newExpiry, CoreKeys keys)
            throws SQLException {
        byte[] hash = tokens.setExpiryByLease(c, leaseId, newExpiry)
                .orElseThrow(() -> new NotFoundException("the token of lease " + leaseId + " no longer exists"));
        return () -> tokens.forgetAll(List.of(hash));
    }
}
