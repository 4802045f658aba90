package io.secrethub.core.lease;

import io.secrethub.core.Lease;
import io.secrethub.core.LeaseState;
import io.secrethub.core.keyring.RowBackfill;
import io.secrethub.core.keyring.RowKind;
import io.secrethub.core.keyring.RowMacs;
import io.secrethub.core.storage.Parameters;
import io.secrethub.core.storage.RowInsert;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * SQL of the {@code leases} table. Every statement that records a revocation outcome is fenced by the
 * claim's attempt number, so a late result from a claim that was taken over changes nothing.
 */
public final class LeaseStore {

    private static final String COLUMNS = "lease_id, kind, issued_at, ttl_seconds, expire_at, max_expire_at, renewable,"
            + " state, attempts, next_attempt_at, last_error, payload, row_mac, owner_accessor";

    /**
     * The columns of a lease row that its MAC covers besides id, kind and payload: what it was issued as, and to
     * whom. The state and the expiry move with every claim and renewal and are not in it; renewal stays bounded by
     * the authenticated {@code maxExpireAt}.
     *
     * @param ownerAccessor the accessor of the token that obtained the lease ({@code null}: issued before leases
     *     recorded it)
     */
    public record Authenticated(Instant issuedAt, long ttlSeconds, Instant maxExpireAt, boolean renewable,
            String ownerAccessor, byte[] mac) {

        void verify(RowMacs macs, String leaseId, String kind, byte[] payload) {
            macs.check(RowKind.LEASE, leaseId, mac, LeaseStore.mac(macs, leaseId, kind, issuedAt, ttlSeconds,
                    maxExpireAt, renewable, payload, ownerAccessor));
        }
    }

    /** Authenticates the lease rows written before row MACs. */
    public static final RowBackfill BACKFILL = RowBackfill.of(RowKind.LEASE, COLUMNS, "lease_id",
            (rs, macs) -> mac(macs, rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getLong(4),
                    instant(rs.getTimestamp(6)), rs.getBoolean(7), rs.getBytes(12), rs.getString(14)));

    /**
     * A lease row's MAC: its id (identity), kind (which handler revokes it), what it was issued as, payload, and
     * the owner's accessor. The owner (V10) is appended only when there is one, so rows authenticated before
     * leases recorded owners keep verifying; the encoding stays unambiguous (a row with an owner has one more
     * field), so an owner can neither be added to, removed from nor changed on a row without its MAC failing.
     */
    static byte[] mac(RowMacs macs, String leaseId, String kind, Instant issuedAt, long ttlSeconds, Instant maxExpireAt,
            boolean renewable, byte[] payload, String ownerAccessor) {
        return ownerAccessor == null
                ? macs.mac(RowKind.LEASE, leaseId, kind, issuedAt, ttlSeconds, maxExpireAt, renewable, payload)
                : macs.mac(RowKind.LEASE, leaseId, kind, issuedAt, ttlSeconds, maxExpireAt, renewable, payload,
                        ownerAccessor);
    }

    /** A new lease's row; statements that store a lease together with what it stands for use it as INSERT … SELECT. */
    public static final RowInsert<NewLease> INSERT = RowInsert.<NewLease>into("leases")
            .column("lease_id", "text", (p, lease) -> p.text(lease.leaseId()))
            .column("kind", "text", (p, lease) -> p.text(lease.kind()))
            .column("issued_at", "timestamptz", (p, lease) -> p.timestamp(lease.issuedAt()))
            .column("ttl_seconds", "bigint", (p, lease) -> p.bigint(lease.storedTtlSeconds()))
            .column("expire_at", "timestamptz", (p, lease) -> p.timestamp(lease.expireAt()))
            .column("max_expire_at", "timestamptz", (p, lease) -> p.timestamp(lease.maxExpireAt()))
            .column("renewable", "boolean", (p, lease) -> p.bool(lease.renewable()))
            .constant("state", "'active'")
            .column("next_attempt_at", "timestamptz", (p, lease) -> p.timestamp(lease.expireAt()))
            .column("payload", "bytea", (p, lease) -> p.bytes(lease.payload()))
            .column("row_mac", "bytea", (p, lease) -> p.bytes(lease.mac()))
            .column("owner_accessor", "text", (p, lease) -> p.text(lease.ownerAccessor()))
            .build();

    private static final String CLAIM_MAC_COLUMNS = "issued_at, ttl_seconds, max_expire_at, renewable, owner_accessor,"
            + " row_mac";

    private LeaseStore() {
    }

    public static void insert(Connection c, NewLease lease) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT.values())) {
            INSERT.bind(new Parameters(c, ps), lease);
            ps.executeUpdate();
        }
    }

    /**
     * Stores a lease obtained by the token with accessor {@code lease.ownerAccessor()}, only if that token still
     * exists, and keeps it from being deleted until this statement's transaction ends ({@code FOR KEY SHARE}). So a
     * revocation of the token either commits first (the lease is not stored: false) or waits, and then finds
     * the lease to revoke with it: no lease escapes its owner's revocation, whichever instance revoked it and however
     * long a token cache served the token.
     *
     * @return whether the lease was stored
     */
    public static boolean insertOwned(Connection c, NewLease lease) throws SQLException {
        if (lease.ownerAccessor() == null) {
            throw new IllegalArgumentException("an owned lease needs its owner's accessor");
        }
        try (PreparedStatement ps = c.prepareStatement("WITH live_owner AS (SELECT 1 FROM tokens WHERE accessor = ?"
                + " FOR KEY SHARE) " + INSERT.selectFrom("live_owner"))) {
            Parameters parameters = new Parameters(c, ps).text(lease.ownerAccessor());
            INSERT.bind(parameters, lease);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Queues for revocation (due now, attempts reset) every active or irrevocable lease owned by one of these
     * tokens, inside the caller's transaction (the one that revokes the tokens); returns how many. Like
     * {@link #queuePrefix} it waits for rows a renewal or claim holds rather than skipping them. Leases already
     * being revoked stay with their claim; the tokens' own leases are marked revoked before, so they are not
     * queued again.
     */
    public static int queueOwned(Connection c, List<String> ownerAccessors, Instant now) throws SQLException {
        if (ownerAccessors.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE leases SET state = 'revoking', next_attempt_at = ?,"
                + " attempts = 0 WHERE owner_accessor = ANY (?) AND state IN ('active', 'irrevocable')")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setArray(2, c.createArrayOf("text", ownerAccessors.toArray(String[]::new)));
            return ps.executeUpdate();
        }
    }

    /**
     * Claims up to {@code limit} due leases, oldest first, skipping rows another instance is claiming
     * at this moment: each is set to {@code revoking} with its attempt counted and held until
     * {@code claimUntil}. One statement, one short transaction; no lock is held while revoking.
     */
    static List<ClaimedLease> claim(Connection c, Instant now, Instant claimUntil, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE leases l SET state = 'revoking', attempts = l.attempts "
                + "+ 1,"
                + " next_attempt_at = ? FROM (SELECT lease_id FROM leases WHERE state IN ('active', 'revoking')"
                + " AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED) due"
                + " WHERE l.lease_id = due.lease_id"
                + " RETURNING l.lease_id, l.kind, l.attempts, l.payload, l.expire_at, " + CLAIM_MAC_COLUMNS)) {
            ps.setTimestamp(1, Timestamp.from(claimUntil));
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setInt(3, limit);
            return claimed(ps);
        }
    }

    /**
     * Locks up to {@code limit} due leases, oldest first, inside the caller's transaction, skipping rows another
     * instance holds at this moment (as {@link #claim} does), and writes nothing to them yet: the caller either
     * revokes a lease in this same transaction ({@link #revokeLocked}) or claims it ({@link #claimLocked}). Each is
     * returned with the number of the attempt this is (the stored count plus one), which those statements record.
     */
    static List<ClaimedLease> lockDue(Connection c, Instant now, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT lease_id, kind, attempts + 1, payload, expire_at, "
                + CLAIM_MAC_COLUMNS + " FROM leases WHERE state IN ('active', 'revoking') AND next_attempt_at <= ?"
                + " ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setInt(2, limit);
            return claimed(ps);
        }
    }

    /**
     * Claims leases this transaction holds locked ({@link #lockDue}) for a revocation outside it, as {@link #claim}
     * does: {@code revoking}, the attempt counted, held until {@code claimUntil}.
     */
    static List<ClaimedLease> claimLocked(Connection c, List<ClaimedLease> locked, Instant claimUntil)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE leases l SET state = 'revoking', attempts = f.attempts,"
                + " next_attempt_at = ? FROM unnest(?::text[], ?::int[]) AS f(id, attempts) WHERE l.lease_id = f.id"
                + " RETURNING l.lease_id, l.kind, l.attempts, l.payload, l.expire_at, " + CLAIM_MAC_COLUMNS)) {
            ps.setTimestamp(1, Timestamp.from(claimUntil));
            bindFence(c, ps, 2, locked);
            return claimed(ps);
        }
    }

    /**
     * Marks leases this transaction holds locked ({@link #lockDue}) revoked, with their attempt counted: the one write
     * of its row an expired lease costs when its revocation runs in this transaction too. Returns how many.
     */
    static int revokeLocked(Connection c, List<ClaimedLease> locked, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE leases l SET state = 'revoked', revoked_at = ?,"
                + " attempts = f.attempts, next_attempt_at = NULL, last_error = NULL"
                + " FROM unnest(?::text[], ?::int[]) AS f(id, attempts) WHERE l.lease_id = f.id")) {
            ps.setTimestamp(1, Timestamp.from(now));
            bindFence(c, ps, 2, locked);
            return ps.executeUpdate();
        }
    }

    /**
     * Records a failed attempt on a lease this transaction holds locked ({@link #lockDue}): {@code revoking} and due
     * again at {@code retryAt}, or irrevocable when {@code retryAt} is {@code null}, the attempt counted.
     */
    static void failLocked(Connection c, ClaimedLease lease, String error, Instant retryAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE leases SET state = ?, attempts = ?, next_attempt_at = ?,"
                + " last_error = ? WHERE lease_id = ?")) {
            ps.setString(1, retryAt == null ? "irrevocable" : "revoking");
            ps.setInt(2, lease.attempts());
            ps.setTimestamp(3, retryAt == null ? null : Timestamp.from(retryAt));
            ps.setString(4, error);
            ps.setString(5, lease.leaseId());
            ps.executeUpdate();
        }
    }

    /**
     * Claims one lease for an explicit revocation: an active one, or an irrevocable one (which starts
     * counting attempts again). Empty if it is revoked, already being revoked, or absent.
     */
    static Optional<ClaimedLease> claimForRevoke(Connection c, String leaseId, Instant claimUntil) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE leases SET state = 'revoking',"
                + " attempts = CASE WHEN state = 'irrevocable' THEN 1 ELSE attempts + 1 END, next_attempt_at = ?"
                + " WHERE lease_id = ? AND state IN ('active', 'irrevocable')"
                + " RETURNING lease_id, kind, attempts, payload, expire_at, " + CLAIM_MAC_COLUMNS)) {
            ps.setTimestamp(1, Timestamp.from(claimUntil));
            ps.setString(2, leaseId);
            List<ClaimedLease> claimed = claimed(ps);
            return claimed.isEmpty() ? Optional.empty() : Optional.of(claimed.get(0));
        }
    }

    /** Marks claimed leases revoked (fenced); returns how many were still this claim's. */
    static int markRevoked(Connection c, List<ClaimedLease> leases, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE leases l SET state = 'revoked', revoked_at = ?,"
                + " next_attempt_at = NULL, last_error = NULL FROM unnest(?::text[], ?::int[]) AS f(id, attempts)"
                + " WHERE l.lease_id = f.id AND l.attempts = f.attempts AND l.state = 'revoking'")) {
            ps.setTimestamp(1, Timestamp.from(now));
            bindFence(c, ps, 2, leases);
            return ps.executeUpdate();
        }
    }

    /**
     * Marks leases revoked whatever their state, for revocations that did the work themselves (a
     * token revoked through the token API takes its lease, and its descendants' leases, with it).
     */
    public static int markRevoked(Connection c, String[] leaseIds, Instant now) throws SQLException {
        if (leaseIds.length == 0) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE leases SET state = 'revoked', revoked_at = ?,"
                + " next_attempt_at = NULL, last_error = NULL WHERE lease_id = ANY (?) AND state <> 'revoked'")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setArray(2, c.createArrayOf("text", leaseIds));
            return ps.executeUpdate();
        }
    }

    /**
     * Records a failed attempt (fenced): due again at {@code retryAt}, or irrevocable when
     * {@code retryAt} is {@code null}.
     *
     * @return whether the lease was still this claim's
     */
    static boolean recordFailure(Connection c, ClaimedLease lease, String error, Instant retryAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE leases SET state = ?, next_attempt_at = ?, last_error = "
                + "?"
                + " WHERE lease_id = ? AND attempts = ? AND state = 'revoking'")) {
            ps.setString(1, retryAt == null ? "irrevocable" : "revoking");
            ps.setTimestamp(2, retryAt == null ? null : Timestamp.from(retryAt));
            ps.setString(3, error);
            ps.setString(4, lease.leaseId());
            ps.setInt(5, lease.attempts());
            return ps.executeUpdate() == 1;
        }
    }

    /** Hands claimed, unprocessed leases back (fenced): due now, the attempt not counted. */
    static int release(Connection c, List<ClaimedLease> leases, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE leases l SET next_attempt_at = ?, attempts = l.attempts "
                + "- 1"
                + " FROM unnest(?::text[], ?::int[]) AS f(id, attempts)"
                + " WHERE l.lease_id = f.id AND l.attempts = f.attempts AND l.state = 'revoking'")) {
            ps.setTimestamp(1, Timestamp.from(now));
            bindFence(c, ps, 2, leases);
            return ps.executeUpdate();
        }
    }

    /** Makes an active lease due now (e.g. a credential whose creation could not be confirmed). */
    public static void expireNow(Connection c, String leaseId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE leases SET expire_at = ?, next_attempt_at = ? WHERE lease_id = ? AND state = 'active'")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, leaseId);
            ps.executeUpdate();
        }
    }

    /** Deletes an active lease whose credential was never created; returns whether it did. */
    public static boolean deleteActive(Connection c, String leaseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM leases WHERE lease_id = ? AND state = 'active'")) {
            ps.setString(1, leaseId);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Queues up to {@code limit} active or irrevocable leases under {@code prefix} for revocation (due
     * now, attempts reset); returns how many. It waits for rows locked by a renewal or a claim rather
     * than skipping them (a skipped lease would escape the revocation); claims never wait on it in
     * turn, so the two cannot deadlock.
     */
    static int queuePrefix(Connection c, String prefix, Instant now, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE leases SET state = 'revoking', next_attempt_at = ?,"
                + " attempts = 0 WHERE lease_id IN (SELECT lease_id FROM leases WHERE lease_id >= ? AND lease_id < ?"
                + " AND state IN ('active', 'irrevocable') ORDER BY lease_id LIMIT ? FOR UPDATE)")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, prefix);
            ps.setString(3, LeaseIds.upperBound(prefix));
            ps.setInt(4, limit);
            return ps.executeUpdate();
        }
    }

    public static Optional<StoredLease> find(Connection c, String leaseId) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM leases WHERE lease_id = ?", leaseId);
    }

    /** The lease, its row locked until the caller's transaction ends (renewal). */
    static Optional<StoredLease> lock(Connection c, String leaseId) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM leases WHERE lease_id = ? FOR UPDATE", leaseId);
    }

    /** Sets an active lease's expiry (renewal). */
    public static void setExpiry(Connection c, String leaseId, Instant expireAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE leases SET expire_at = ?, next_attempt_at = ? WHERE lease_id = ? AND state = 'active'")) {
            ps.setTimestamp(1, Timestamp.from(expireAt));
            ps.setTimestamp(2, Timestamp.from(expireAt));
            ps.setString(3, leaseId);
            ps.executeUpdate();
        }
    }

    static List<StoredLease> irrevocable(Connection c, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM leases WHERE state = 'irrevocable' ORDER BY lease_id LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                List<StoredLease> leases = new ArrayList<>();
                while (rs.next()) {
                    leases.add(row(rs));
                }
                return leases;
            }
        }
    }

    /** Deletes up to {@code limit} leases revoked before {@code cutoff}; returns how many. */
    static int purgeRevoked(Connection c, Instant cutoff, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM leases WHERE lease_id IN (SELECT lease_id FROM "
                + "leases"
                + " WHERE state = 'revoked' AND revoked_at < ? LIMIT ?)")) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            ps.setInt(2, limit);
            return ps.executeUpdate();
        }
    }

    private static List<ClaimedLease> claimed(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<ClaimedLease> claimed = new ArrayList<>();
            while (rs.next()) {
                claimed.add(new ClaimedLease(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getBytes(4),
                        rs.getTimestamp(5).toInstant(), new Authenticated(rs.getTimestamp(6).toInstant(), rs.getLong(7),
                                instant(rs.getTimestamp(8)), rs.getBoolean(9), rs.getString(10), rs.getBytes(11))));
            }
            return claimed;
        }
    }

    private static void bindFence(Connection c, PreparedStatement ps, int first, List<ClaimedLease> leases)
            throws SQLException {
        String[] ids = new String[leases.size()];
        Integer[] attempts = new Integer[leases.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = leases.get(i).leaseId();
            attempts[i] = leases.get(i).attempts();
        }
        Array idArray = c.createArrayOf("text", ids);
        Array attemptArray = c.createArrayOf("int4", attempts);
        ps.setArray(first, idArray);
        ps.setArray(first + 1, attemptArray);
    }

    private static Optional<StoredLease> one(Connection c, String sql, String leaseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, leaseId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static StoredLease row(ResultSet rs) throws SQLException {
        Lease lease = new Lease(rs.getString(1), LeaseState.valueOf(rs.getString(8).toUpperCase(Locale.ROOT)),
                rs.getTimestamp(3).toInstant(), Duration.ofSeconds(rs.getLong(4)), rs.getTimestamp(5).toInstant(),
                instant(rs.getTimestamp(6)), rs.getBoolean(7), rs.getInt(9), instant(rs.getTimestamp(10)),
                rs.getString(11));
        return new StoredLease(lease, rs.getString(2), rs.getBytes(12), new Authenticated(
                rs.getTimestamp(3).toInstant(), rs.getLong(4), instant(rs.getTimestamp(6)), rs.getBoolean(7),
                rs.getString(14), rs.getBytes(13)));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
