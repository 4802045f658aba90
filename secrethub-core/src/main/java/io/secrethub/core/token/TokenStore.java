package io.secrethub.core.token;

import io.secrethub.core.IntegrityException;
import io.secrethub.core.keyring.KeySource;
import io.secrethub.core.keyring.RowBackfill;
import io.secrethub.core.keyring.RowKind;
import io.secrethub.core.keyring.RowMacs;
import io.secrethub.core.keyring.SystemKeys;
import io.secrethub.core.lease.LeaseIds;
import io.secrethub.core.lease.LeaseStore;
import io.secrethub.core.lease.NewLease;
import io.secrethub.core.secrets.ChangeNotices;
import io.secrethub.core.storage.Database;
import io.secrethub.core.storage.Parameters;
import io.secrethub.core.storage.RowInsert;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The token table: creates tokens, looks them up (cached, see {@link TokenCache} for the revocation
 * trade-off), revokes them with their descendants and sweeps expired ones.
 *
 * <p>Every token with a TTL gets a lease (kind {@value #LEASE_KIND}) in the same transaction, and the
 * token row names it ({@code tokens.lease_id}): revoking the lease deletes the token (see
 * {@link TokenLeaseHandler}), revoking the token marks its lease revoked, renewing either moves both.
 */
public final class TokenStore {

    /** The lease kind of tokens. */
    public static final String LEASE_KIND = "token";
    /** The lease path of tokens created directly rather than by a login (Vault's {@code auth/token/create}). */
    public static final String CREATE_LEASE_PATH = "auth/token/create";

    private static final String COLUMNS = "accessor, policies, display_name, parent_accessor, created_at, ttl_seconds,"
            + " expires_at, max_expires_at, lease_id, row_mac, token_hash";

    /** Authenticates the token rows written before row MACs (see {@link RowBackfill}). */
    public static final RowBackfill BACKFILL = RowBackfill.of(RowKind.TOKEN, COLUMNS, "token_hash",
            (rs, macs) -> mac(macs, rs.getBytes(11), entry(rs)));

    private final Database database;
    private final KeySource keys;
    private final Clock clock;
    private final TokenCache cache;
    /** Told after a commit that queued leases for revocation (wakes the expiration manager). */
    private volatile Runnable leasesQueued = () -> { };

    public TokenStore(Database database, KeySource keys, Clock clock, Duration cacheTtl) {
        this.database = database;
        this.keys = keys;
        this.clock = clock;
        this.cache = new TokenCache(cacheTtl.toNanos());
    }

    /** Runs {@code wake} after every commit that queued leases owned by revoked tokens (the expiration manager). */
    public void onLeasesQueued(Runnable wake) {
        this.leasesQueued = java.util.Objects.requireNonNull(wake, "wake");
    }

    /** Tells the expiration manager that revoked tokens' leases are due now. */
    public void leasesQueued() {
        leasesQueued.run();
    }

    /** Creates a token (and its lease) in its own transaction. */
    public IssuedToken create(TokenSpec spec) {
        SystemKeys system = keys.current().system();
        return database.transaction("create a token", c -> insert(c, system, spec, clock.instant()));
    }

    /** Creates a token and its lease inside the caller's transaction (initialize). */
    public static IssuedToken insert(Connection c, SystemKeys system, TokenSpec spec, Instant now) throws SQLException {
        Pending pending = prepare(system, spec, now, CREATE_LEASE_PATH);
        try (PreparedStatement ps = c.prepareStatement(INSERT.values())) {
            INSERT.bind(new Parameters(c, ps), pending);
            ps.executeUpdate();
        }
        if (pending.lease() != null) {
            LeaseStore.insert(c, pending.lease());
        }
        return pending.issued();
    }

    /**
     * A token made but not yet stored: its plaintext, entry, storage hash and lease ({@code null} for
     * a token without TTL).
     */
    public record Pending(IssuedToken issued, byte[] hash, NewLease lease, byte[] mac) {

        /** The token's entry. */
        public TokenEntry entry() {
            return issued.entry();
        }

        @Override
        public String toString() {
            return "Pending[" + issued + "]";
        }
    }

    /** A new token's row (its lease is a row of its own); logins use it as INSERT … SELECT. */
    public static final RowInsert<Pending> INSERT = RowInsert.<Pending>into("tokens")
            .column("token_hash", "bytea", (p, t) -> p.bytes(t.hash()))
            .column("accessor", "text", (p, t) -> p.text(t.entry().accessor()))
            .column("policies", "text[]", (p, t) -> p.textArray(t.entry().policies()))
            .column("display_name", "text", (p, t) -> p.text(t.entry().displayName()))
            .column("parent_accessor", "text", (p, t) -> p.text(t.entry().parentAccessor()))
            .column("created_at", "timestamptz", (p, t) -> p.timestamp(t.entry().createdAt()))
            .column("ttl_seconds", "bigint", (p, t) -> p.bigint(t.entry().ttl() == null ? null
                    : t.entry().ttl().toSeconds()))
            .column("expires_at", "timestamptz", (p, t) -> p.timestamp(t.entry().expiresAt()))
            .column("max_expires_at", "timestamptz", (p, t) -> p.timestamp(t.entry().maxExpiresAt()))
            .column("lease_id", "text", (p, t) -> p.text(t.entry().leaseId()))
            .column("row_mac", "bytea", (p, t) -> p.bytes(t.mac()))
            .build();

    /**
     * Makes a token and its lease for a caller that inserts them in its own statement (e.g. a login
     * that spends a secret_id use and stores both in one round trip).
     *
     * @param leasePath the path the lease id starts with, e.g. {@code auth/approle/login}
     */
    public static Pending prepare(SystemKeys system, TokenSpec spec, Instant now, String leasePath) {
        Instant created = now.truncatedTo(ChronoUnit.MICROS);
        String token = TokenFormat.newToken();
        Instant expires = spec.ttl() == null ? null : created.plus(spec.ttl());
        Instant maxExpires = spec.maxTtl() == null ? null : created.plus(spec.maxTtl());
        String accessor = TokenFormat.newAccessor();
        // The token owns its own lease: it may renew or revoke it by id.
        NewLease lease = spec.ttl() == null ? null : new NewLease(LeaseIds.newId(leasePath), LEASE_KIND, created,
                spec.ttl(), expires, maxExpires, true, null, accessor).authenticated(system.rows());
        TokenEntry entry = new TokenEntry(accessor, spec.policies(), spec.displayName(),
                spec.parentAccessor(), created, spec.ttl(), expires, maxExpires, lease == null ? null
                        : lease.leaseId());
        byte[] hash = TokenFormat.hash(system.tokenHash(), token);
        return new Pending(new IssuedToken(token, entry), hash, lease, mac(system.rows(), hash, entry));
    }

    /**
     * The MAC of a token row: its hash (identity) and everything that decides what it may do and for how long,
     * except the expiry renewals move, which is checked against the authenticated bounds instead.
     */
    static byte[] mac(RowMacs macs, byte[] hash, TokenEntry e) {
        return macs.mac(RowKind.TOKEN, hash, e.accessor(), e.policies(), e.displayName(), e.parentAccessor(),
                e.createdAt(), e.ttl(), e.maxExpiresAt(), e.leaseId());
    }

    /**
     * The stored entry of {@code token}, expired or not (the caller decides), or empty if there is no
     * such token. Served from the cache when fresh.
     */
    public Optional<TokenEntry> lookup(String token) {
        if (!TokenFormat.plausible(token)) {
            return Optional.empty();
        }
        TokenCache.Key key = new TokenCache.Key(TokenFormat.hash(keys.current().system().tokenHash(), token));
        TokenEntry cached = cache.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        long generation = cache.generation();
        RowMacs macs = keys.current().system().rows();
        Optional<TokenEntry> stored = database.autocommit("look up a token", c -> select(c, key.bytes(), macs));
        stored.ifPresent(entry -> cache.put(key, entry, generation));
        return stored;
    }

    /**
     * Revokes the token named by {@code accessor} and every token descended from it, marks their own leases revoked
     * and queues the leases they obtained (database credentials, …) for revocation, in one transaction, as Vault
     * does: what a token obtained does not outlive it.
     *
     * @return the accessors revoked (empty if there was no such token)
     */
    public List<String> revoke(String accessor) {
        return revoke(accessor, revoked -> { });
    }

    /**
     * {@link #revoke(String)}, running {@code beforeCommit} with the accessors revoked inside the transaction
     * (the caller audits there: a revocation whose record cannot be written is rolled back, never left unrecorded).
     */
    public List<String> revoke(String accessor, Consumer<List<String>> beforeCommit) {
        Deleted deleted = database.transaction("revoke a token", c -> {
            Deleted d = delete(c, "SELECT token_hash, accessor FROM tokens WHERE accessor = ?",
                    ps -> ps.setString(1, accessor));
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            LeaseStore.markRevoked(c, d.leaseIds().toArray(String[]::new), now);
            d = d.withQueued(LeaseStore.queueOwned(c, d.accessors(), now));
            beforeCommit.accept(d.accessors());
            return d;
        });
        deleted.hashes().forEach(h -> cache.invalidate(new TokenCache.Key(h)));
        if (deleted.queued() > 0) {
            leasesQueued();
        }
        return deleted.accessors();
    }

    /**
     * Deletes the tokens of {@code leaseIds} and their descendants inside the caller's transaction
     * (lease revocation). Call {@link #forgetAll} with the result's hashes after the commit.
     */
    public Deleted deleteByLeases(Connection c, String[] leaseIds) throws SQLException {
        return delete(c, "SELECT token_hash, accessor FROM tokens WHERE lease_id = ANY (?)",
                ps -> ps.setArray(1, c.createArrayOf("text", leaseIds)));
    }

    /**
     * What a token deletion removed: hashes (for the cache), accessors, and the leases of those tokens; and how many
     * leases those tokens obtained were queued for revocation with them.
     */
    public record Deleted(List<byte[]> hashes, List<String> accessors, List<String> leaseIds, int queued) {

        Deleted withQueued(int count) {
            return new Deleted(hashes, accessors, leaseIds, count);
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private static Deleted delete(Connection c, String roots, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("WITH RECURSIVE tree AS (" + roots
                + " UNION ALL SELECT t.token_hash, t.accessor FROM tokens t JOIN tree ON t.parent_accessor = "
                        + "tree.accessor)"
                + " DELETE FROM tokens WHERE token_hash IN (SELECT token_hash FROM tree)"
                + " RETURNING token_hash, accessor, lease_id")) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<byte[]> hashes = new ArrayList<>();
                List<String> accessors = new ArrayList<>();
                List<String> leaseIds = new ArrayList<>();
                while (rs.next()) {
                    hashes.add(rs.getBytes(1));
                    accessors.add(rs.getString(2));
                    String leaseId = rs.getString(3);
                    if (leaseId != null) {
                        leaseIds.add(leaseId);
                    }
                }
                // Inside the transaction: every instance hears it if and only if it commits (open channels close).
                ChangeNotices.send(c, ChangeNotices.Kind.TOKEN, accessors);
                return new Deleted(hashes, accessors, leaseIds, 0);
            }
        }
    }

    /**
     * Sets the expiry of {@code token} and of its lease inside the caller's transaction (renewal).
     * Call {@link #forget} after the commit so this instance's cache serves the new expiry.
     *
     * @return the updated entry, or empty if the token is gone or never expires
     */
    public Optional<TokenEntry> setExpiry(Connection c, String token, Instant expiresAt) throws SQLException {
        SystemKeys system = keys.current().system();
        byte[] hash = TokenFormat.hash(system.tokenHash(), token);
        try (PreparedStatement ps = c.prepareStatement("WITH t AS (UPDATE tokens SET expires_at = ?"
                + " WHERE token_hash = ? AND expires_at IS NOT NULL RETURNING lease_id),"
                + " l AS (UPDATE leases SET expire_at = ?, next_attempt_at = ? FROM t"
                + " WHERE leases.lease_id = t.lease_id AND leases.state = 'active')"
                + " SELECT count(*) FROM t")) {
            Timestamp expiry = Timestamp.from(expiresAt);
            ps.setTimestamp(1, expiry);
            ps.setBytes(2, hash);
            ps.setTimestamp(3, expiry);
            ps.setTimestamp(4, expiry);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return Optional.empty();
                }
            }
        }
        return select(c, hash, system.rows());
    }

    /**
     * Sets the expiry of the token of lease {@code leaseId} inside the caller's transaction (lease
     * renewal).
     *
     * @return the token's hash, for {@link #forgetAll} after the commit, or empty if there is no such token
     */
    public Optional<byte[]> setExpiryByLease(Connection c, String leaseId, Instant expiresAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE tokens SET expires_at = ? WHERE lease_id = ? RETURNING token_hash")) {
            ps.setTimestamp(1, Timestamp.from(expiresAt));
            ps.setString(2, leaseId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        }
    }

    /** Drops the cached lookup of {@code token}. */
    public void forget(String token) {
        if (TokenFormat.plausible(token)) {
            cache.invalidate(new TokenCache.Key(TokenFormat.hash(keys.current().system().tokenHash(), token)));
        }
    }

    /** Drops the cached lookups of the tokens with these storage hashes. */
    public void forgetAll(List<byte[]> hashes) {
        hashes.forEach(h -> cache.invalidate(new TokenCache.Key(h)));
    }

    /**
     * Deletes up to {@code limit} tokens without a lease that expired before {@code cutoff}, queueing the leases
     * they obtained for revocation in the same statement; returns how many tokens. Tokens with a lease are the
     * expiration manager's: it deletes them when it revokes the lease, so the lease never outlives its token
     * unnoticed.
     */
    public int deleteExpired(Instant cutoff, int limit) {
        // No cache eviction needed: a cached expired entry is refused on use and ages out.
        int[] swept = database.autocommit("sweep expired tokens", c -> {
            try (PreparedStatement ps = c.prepareStatement("WITH gone AS (DELETE FROM tokens WHERE token_hash IN ("
                    + "SELECT token_hash FROM tokens WHERE expires_at < ? AND lease_id IS NULL LIMIT ?)"
                    + " RETURNING accessor),"
                    + " queued AS (UPDATE leases SET state = 'revoking', next_attempt_at = ?, attempts = 0"
                    + " WHERE owner_accessor IN (SELECT accessor FROM gone) AND state IN ('active', 'irrevocable')"
                    + " RETURNING 1)"
                    + " SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM queued)")) {
                ps.setTimestamp(1, Timestamp.from(cutoff));
                ps.setInt(2, limit);
                ps.setTimestamp(3, Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MICROS)));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new int[] {rs.getInt(1), rs.getInt(2)};
                }
            }
        });
        if (swept[1] > 0) {
            leasesQueued();
        }
        return swept[0];
    }

    /** Forgets every cached lookup (on seal). */
    public void clearCache() {
        cache.clear();
    }

    private static Optional<TokenEntry> select(Connection c, byte[] hash, RowMacs macs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM tokens WHERE token_hash = ?")) {
            ps.setBytes(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                TokenEntry entry = entry(rs);
                macs.verify(RowKind.TOKEN, "with accessor " + entry.accessor(), rs.getBytes(10), hash, entry.accessor(),
                        entry.policies(), entry.displayName(), entry.parentAccessor(), entry.createdAt(), entry.ttl(),
                        entry.maxExpiresAt(), entry.leaseId());
                checkExpiry(entry);
                return Optional.of(entry);
            }
        }
    }

    /** The expiry is not in the MAC (renewals move it), so it must stay within what the MAC covers. */
    private static void checkExpiry(TokenEntry e) {
        boolean consistent = e.ttl() == null ? e.expiresAt() == null
                : e.expiresAt() != null && (e.maxExpiresAt() == null || !e.expiresAt().isAfter(e.maxExpiresAt()));
        if (!consistent) {
            throw new IntegrityException("tokens row with accessor " + e.accessor()
                    + " has an expiry its authenticated TTL and limit do not allow: refused");
        }
    }

    private static TokenEntry entry(ResultSet rs) throws SQLException {
        Array policies = rs.getArray(2);
        long ttl = rs.getLong(6);
        Duration ttlDuration = rs.wasNull() ? null : Duration.ofSeconds(ttl);
        return new TokenEntry(rs.getString(1), Arrays.asList((String[]) policies.getArray()),
                rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant(), ttlDuration,
                instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8)), rs.getString(9));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
