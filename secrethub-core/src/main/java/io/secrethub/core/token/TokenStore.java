package io.secrethub.core.token;

import io.secrethub.core.keyring.KeySource;
import io.secrethub.core.keyring.SystemKeys;
import io.secrethub.core.storage.Database;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The token table: creates tokens, looks them up (cached, see {@link TokenCache} for the revocation
 * trade-off), revokes them with their descendants and sweeps expired ones.
 */
public final class TokenStore {

    private static final String COLUMNS =
            "accessor, policies, display_name, parent_accessor, created_at, ttl_seconds, expires_at, max_expires_at";

    private final Database database;
    private final KeySource keys;
    private final Clock clock;
    private final TokenCache cache;

    public TokenStore(Database database, KeySource keys, Clock clock, Duration cacheTtl) {
        this.database = database;
        this.keys = keys;
        this.clock = clock;
        this.cache = new TokenCache(cacheTtl.toNanos());
    }

    /** Creates a token in its own transaction. */
    public IssuedToken create(TokenSpec spec) {
        SystemKeys system = keys.current().system();
        return database.transaction("create a token", c -> insert(c, system, spec, clock.instant()));
    }

    /** Creates a token inside the caller's transaction (initialize, login). */
    public static IssuedToken insert(Connection c, SystemKeys system, TokenSpec spec, Instant now) throws SQLException {
        Instant created = now.truncatedTo(ChronoUnit.MICROS);
        String token = TokenFormat.newToken();
        TokenEntry entry = new TokenEntry(TokenFormat.newAccessor(), spec.policies(), spec.displayName(),
                spec.parentAccessor(), created, spec.ttl(),
                spec.ttl() == null ? null : created.plus(spec.ttl()),
                spec.maxTtl() == null ? null : created.plus(spec.maxTtl()));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tokens (token_hash, " + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setBytes(1, TokenFormat.hash(system.tokenHash(), token));
            ps.setString(2, entry.accessor());
            ps.setArray(3, c.createArrayOf("text", entry.policies().toArray()));
            ps.setString(4, entry.displayName());
            ps.setString(5, entry.parentAccessor());
            ps.setTimestamp(6, Timestamp.from(entry.createdAt()));
            if (entry.ttl() == null) {
                ps.setNull(7, Types.BIGINT);
            } else {
                ps.setLong(7, entry.ttl().toSeconds());
            }
            ps.setTimestamp(8, entry.expiresAt() == null ? null : Timestamp.from(entry.expiresAt()));
            ps.setTimestamp(9, entry.maxExpiresAt() == null ? null : Timestamp.from(entry.maxExpiresAt()));
            ps.executeUpdate();
        }
        return new IssuedToken(token, entry);
    }

    /** A token made but not yet stored: its plaintext, entry and storage hash. */
    public record Pending(IssuedToken issued, byte[] hash) {
        @Override
        public String toString() {
            return "Pending[" + issued + "]";
        }
    }

    /** The column list and the nine typed placeholders {@link #bind} fills, for INSERT … SELECT statements. */
    public static final String INSERT_COLUMNS = "token_hash, " + COLUMNS;
    public static final String INSERT_PLACEHOLDERS =
            "?::bytea, ?::text, ?::text[], ?::text, ?::text, ?::timestamptz, ?::bigint, ?::timestamptz, ?::timestamptz";

    /**
     * Makes a token for a caller that inserts it in its own statement (e.g. a login that spends a
     * secret_id use and stores the token in one round trip).
     */
    public static Pending prepare(SystemKeys system, TokenSpec spec, Instant now) {
        Instant created = now.truncatedTo(ChronoUnit.MICROS);
        String token = TokenFormat.newToken();
        TokenEntry entry = new TokenEntry(TokenFormat.newAccessor(), spec.policies(), spec.displayName(),
                spec.parentAccessor(), created, spec.ttl(),
                spec.ttl() == null ? null : created.plus(spec.ttl()),
                spec.maxTtl() == null ? null : created.plus(spec.maxTtl()));
        return new Pending(new IssuedToken(token, entry), TokenFormat.hash(system.tokenHash(), token));
    }

    /** Binds {@code pending} to the nine placeholders of {@link #INSERT_PLACEHOLDERS} starting at {@code first}. */
    public static void bind(Connection c, PreparedStatement ps, int first, Pending pending) throws SQLException {
        TokenEntry entry = pending.issued().entry();
        ps.setBytes(first, pending.hash());
        ps.setString(first + 1, entry.accessor());
        ps.setArray(first + 2, c.createArrayOf("text", entry.policies().toArray()));
        ps.setString(first + 3, entry.displayName());
        ps.setString(first + 4, entry.parentAccessor());
        ps.setTimestamp(first + 5, Timestamp.from(entry.createdAt()));
        if (entry.ttl() == null) {
            ps.setNull(first + 6, Types.BIGINT);
        } else {
            ps.setLong(first + 6, entry.ttl().toSeconds());
        }
        ps.setTimestamp(first + 7, entry.expiresAt() == null ? null : Timestamp.from(entry.expiresAt()));
        ps.setTimestamp(first + 8, entry.maxExpiresAt() == null ? null : Timestamp.from(entry.maxExpiresAt()));
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
        Optional<TokenEntry> stored = database.autocommit("look up a token", c -> select(c, key.bytes()));
        stored.ifPresent(entry -> cache.put(key, entry, generation));
        return stored;
    }

    /**
     * Revokes the token named by {@code accessor} and every token descended from it.
     *
     * @return the accessors revoked (empty if there was no such token)
     */
    public List<String> revoke(String accessor) {
        List<byte[]> hashes = new ArrayList<>();
        List<String> accessors = database.transaction("revoke a token", c -> {
            try (PreparedStatement ps = c.prepareStatement("WITH RECURSIVE tree AS ("
                    + " SELECT token_hash, accessor FROM tokens WHERE accessor = ?"
                    + " UNION ALL SELECT t.token_hash, t.accessor FROM tokens t JOIN tree ON t.parent_accessor = tree.accessor)"
                    + " DELETE FROM tokens WHERE token_hash IN (SELECT token_hash FROM tree) RETURNING token_hash, accessor")) {
                ps.setString(1, accessor);
                try (ResultSet rs = ps.executeQuery()) {
                    List<String> revoked = new ArrayList<>();
                    while (rs.next()) {
                        hashes.add(rs.getBytes(1));
                        revoked.add(rs.getString(2));
                    }
                    return revoked;
                }
            }
        });
        hashes.forEach(h -> cache.invalidate(new TokenCache.Key(h)));
        return accessors;
    }

    /**
     * Sets the expiry of {@code token} inside the caller's transaction (renewal). Call
     * {@link #forget} after the commit so this instance's cache serves the new expiry.
     *
     * @return the updated entry, or empty if the token is gone or never expires
     */
    public Optional<TokenEntry> setExpiry(Connection c, String token, Instant expiresAt) throws SQLException {
        byte[] hash = TokenFormat.hash(keys.current().system().tokenHash(), token);
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE tokens SET expires_at = ? WHERE token_hash = ? AND expires_at IS NOT NULL")) {
            ps.setTimestamp(1, Timestamp.from(expiresAt));
            ps.setBytes(2, hash);
            if (ps.executeUpdate() == 0) {
                return Optional.empty();
            }
        }
        return select(c, hash);
    }

    /** Drops the cached lookup of {@code token}. */
    public void forget(String token) {
        if (TokenFormat.plausible(token)) {
            cache.invalidate(new TokenCache.Key(TokenFormat.hash(keys.current().system().tokenHash(), token)));
        }
    }

    /** Deletes up to {@code limit} tokens that expired before {@code cutoff}; returns how many. */
    public int deleteExpired(Instant cutoff, int limit) {
        // No cache eviction needed: a cached expired entry is refused on use and ages out.
        return database.autocommit("sweep expired tokens", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM tokens WHERE token_hash IN ("
                    + "SELECT token_hash FROM tokens WHERE expires_at < ? LIMIT ?)")) {
                ps.setTimestamp(1, Timestamp.from(cutoff));
                ps.setInt(2, limit);
                return ps.executeUpdate();
            }
        });
    }

    /** Forgets every cached lookup (on seal). */
    public void clearCache() {
        cache.clear();
    }

    private static Optional<TokenEntry> select(Connection c, byte[] hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM tokens WHERE token_hash = ?")) {
            ps.setBytes(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Array policies = rs.getArray(2);
                long ttl = rs.getLong(6);
                Duration ttlDuration = rs.wasNull() ? null : Duration.ofSeconds(ttl);
                return Optional.of(new TokenEntry(rs.getString(1), Arrays.asList((String[]) policies.getArray()),
                        rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant(), ttlDuration,
                        instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8))));
            }
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
