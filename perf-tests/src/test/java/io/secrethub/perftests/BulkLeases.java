package io.secrethub.perftests;

import io.secrethub.core.SecretHub;
import io.secrethub.core.runtime.HubInternals;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * The fast set-up path of the lease-scale suite: leases written straight into SecretHub's tables with
 * {@code INSERT … SELECT generate_series}, a million in seconds where the API would take many minutes. It knows
 * the schema (V6) and nothing else does; what it writes is what SecretHub writes for tokens created through
 * {@code auth/token/create}.
 *
 * <p>Honestly: the background leases are token leases whose tokens are not materialized, since they never expire
 * during the run and nothing reads them. The storm leases have real token rows (whose hashes no token matches), so
 * revoking one does the real work: find and delete the token and its descendants, mark the lease revoked.
 */
final class BulkLeases {

    static final String BACKGROUND_PREFIX = "auth/token/create/bulk-";
    static final String STORM_PREFIX = "auth/token/create/storm-";
    private static final int CHUNK = 250_000;

    private BulkLeases() {
    }

    /**
     * Inserts {@code total} leases, {@code storm} of them under {@link #STORM_PREFIX} with tokens; all due in a day.
     * SecretHub refuses a lease or token row without its integrity MAC (storage is untrusted), so the storm's rows,
     * the ones it will revoke, are then authenticated as they stand through the core's test-only route; the
     * background leases are never read, so they stay as inserted.
     */
    static void insert(DataSource dataSource, SecretHub hub, int total, int storm) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            insertLeases(c, BACKGROUND_PREFIX, total - storm);
            insertLeases(c, STORM_PREFIX, storm);
            inChunks(c, "INSERT INTO tokens (token_hash, accessor, policies,"
                    + " display_name, created_at, ttl_seconds, expires_at, max_expires_at, lease_id)"
                    + " SELECT sha256(convert_to('perf-storm-' || g, 'UTF8')), 'perf-storm-' || g, ARRAY['default'],"
                    + " 'perf-bulk', now(), 86400, now() + interval '1 day', NULL, ? || lpad(g::text, 8, '0')"
                    + " FROM generate_series(?, ?) g", STORM_PREFIX, storm);
            int authenticated = HubInternals.authenticateBulkRows(hub, dataSource, STORM_PREFIX);
            if (authenticated != 2 * storm) {
                throw new IllegalStateException("authenticated " + authenticated + " storm rows, expected "
                        + 2 * storm);
            }
            settle(c);
        }
    }

    /**
     * Does now what autovacuum and the checkpointer would otherwise do during the next measured phase, so the
     * read baseline measures SecretHub, not the aftermath of a million-row insert.
     */
    private static void settle(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("VACUUM (ANALYZE) leases");
            s.execute("VACUUM (ANALYZE) tokens");
            try {
                s.execute("CHECKPOINT");
            } catch (SQLException e) {
                // needs superuser or pg_checkpoint: without it the first phase may see a checkpoint, no more
            }
        }
    }

    /**
     * The storm leases numbered {@code first} to {@code last} (of 1 … storm): a storm can be let loose in parts, one
     * per measured window.
     */
    record Slice(int first, int last) {

        /** Part {@code part} (from 0) of {@code parts} equal parts of {@code storm} leases. */
        static Slice of(int storm, int part, int parts) {
            return new Slice((int) ((long) storm * part / parts) + 1, (int) ((long) storm * (part + 1) / parts));
        }

        int size() {
            return last - first + 1;
        }

        private String low() {
            return STORM_PREFIX + String.format("%08d", first);
        }

        private String high() {
            return STORM_PREFIX + String.format("%08d", last);
        }
    }

    /**
     * Makes every lease of {@code slice} expire at {@code at}: one statement, so they all become due at the same
     * instant.
     */
    static int expireStorm(DataSource dataSource, Instant at, Slice slice) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE leases SET expire_at = ?, next_attempt_at = ? WHERE lease_id >= ? AND lease_id <= ?"
                        + " AND state = 'active'")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setString(3, slice.low());
            ps.setString(4, slice.high());
            int expired = ps.executeUpdate();
            // The mass UPDATE is set-up, not something production does (there, leases just reach their time):
            // its dead row versions and WAL must not be what the storm phase's reads measure.
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM leases");
                try {
                    s.execute("CHECKPOINT");
                } catch (SQLException e) {
                    // needs superuser or pg_checkpoint; without it the storm phase may also see a checkpoint
                }
            }
            return expired;
        }
    }

    /** How many storm leases are not revoked yet, and when the last revoked one was (null if none). */
    record StormProgress(long pending, Instant lastRevokedAt) {
    }

    static StormProgress stormProgress(DataSource dataSource, Slice slice) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FILTER (WHERE state <> 'revoked'), max(revoked_at) FROM leases"
                        + " WHERE lease_id >= ? AND lease_id <= ?")) {
            ps.setString(1, slice.low());
            ps.setString(2, slice.high());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp last = rs.getTimestamp(2);
                return new StormProgress(rs.getLong(1), last == null ? null : last.toInstant());
            }
        }
    }

    static long count(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM leases")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void insertLeases(Connection c, String prefix, int count) throws SQLException {
        // Expiries spread over a second a day from now, like leases issued over time with the same TTL.
        inChunks(c, "INSERT INTO leases (lease_id, kind, issued_at, ttl_seconds,"
                + " expire_at, max_expire_at, renewable, state, next_attempt_at)"
                + " SELECT ? || lpad(g::text, 8, '0'), 'token', now(), 86400, e, NULL, true, 'active', e"
                + " FROM generate_series(?, ?) g, LATERAL (SELECT now() + interval '1 day'"
                + " + (g % 1000) * interval '1 millisecond' AS e) t", prefix, count);
    }

    /**
     * Runs {@code sql} (placeholders: the id prefix, then the first and last of a range of {@code generate_series})
     * over 1 … {@code count} in ranges of {@value #CHUNK}, so no single statement holds a million rows.
     */
    private static void inChunks(Connection c, String sql, String prefix, int count) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int first = 1; first <= count; first += CHUNK) {
                ps.setString(1, prefix);
                ps.setInt(2, first);
                ps.setInt(3, Math.min(count, first + CHUNK - 1));
                ps.executeUpdate();
            }
        }
    }
}
