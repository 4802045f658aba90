package io.secrethub.core.auth;

import io.secrethub.core.AppRoleSettings;
import io.secrethub.core.crypto.KeyMaterial;
import io.secrethub.core.keyring.Barrier;
import io.secrethub.core.keyring.RowBackfill;
import io.secrethub.core.keyring.RowKind;
import io.secrethub.core.keyring.RowMacs;
import io.secrethub.core.policy.Policy;
import io.secrethub.core.lease.LeaseStore;
import io.secrethub.core.storage.Parameters;
import io.secrethub.core.token.TokenStore;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

/** SQL of the {@code approle_roles} and {@code approle_secret_ids} tables. */
final class AppRoleStore {

    /** A role's stored secret_id settings and encrypted key, as secret_id generation needs them. */
    record StoredRole(byte[] encryptedKey, Long secretIdTtlSeconds, int secretIdNumUses) {
    }

    private AppRoleStore() {
    }

    /** Binds a role's encrypted key to its name, so keys cannot be swapped between rows. */
    static byte[] keyAad(String roleName) {
        return ("secrethub:approle:" + roleName).getBytes(StandardCharsets.UTF_8);
    }

    /** Every column of a role row, as stored; {@link #read} returns it only once its MAC verified. */
    private record Row(String name, UUID roleId, byte[] encryptedKey, String[] policies, long tokenTtlSeconds,
            long tokenMaxTtlSeconds, Long secretIdTtlSeconds, int secretIdNumUses, String[] boundCidrs) {

        byte[] mac(RowMacs macs) {
            return macs.mac(RowKind.APPROLE_ROLE, name, roleId.toString(), encryptedKey, List.of(policies),
                    tokenTtlSeconds, tokenMaxTtlSeconds, secretIdTtlSeconds, secretIdNumUses, List.of(boundCidrs));
        }
    }

    private static final String ROW_COLUMNS = "name, role_id, hmac_key, policies, token_ttl_seconds,"
            + " token_max_ttl_seconds, secret_id_ttl_seconds, secret_id_num_uses, bound_cidrs, row_mac";

    /** Authenticates the role rows written before row MACs. */
    static final RowBackfill BACKFILL = RowBackfill.of(RowKind.APPROLE_ROLE, ROW_COLUMNS, "name",
            (rs, macs) -> row(rs).mac(macs));

    /**
     * Creates the role, or updates its settings keeping role_id and key (after checking the stored row: a
     * tampered one must not be re-authenticated by an update).
     */
    static void upsert(Connection c, String name, UUID newRoleId, byte[] newEncryptedKey, AppRoleSettings s,
            Instant now, RowMacs macs) throws SQLException {
        Row existing = read(c, "name = ? FOR UPDATE", name, macs);
        Long secretIdTtl = s.secretIdTtl() == null ? null : s.secretIdTtl().toSeconds();
        Row row = new Row(name, existing == null ? newRoleId : existing.roleId(),
                existing == null ? newEncryptedKey : existing.encryptedKey(), s.policies().toArray(String[]::new),
                s.tokenTtl().toSeconds(), s.tokenMaxTtl().toSeconds(), secretIdTtl, s.secretIdNumUses(),
                s.boundCidrs().toArray(String[]::new));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO approle_roles (name, role_id, hmac_key, policies,"
                + " token_ttl_seconds, token_max_ttl_seconds, secret_id_ttl_seconds, secret_id_num_uses, bound_cidrs,"
                + " created_at, updated_at, row_mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET policies = excluded.policies,"
                + " token_ttl_seconds = excluded.token_ttl_seconds, token_max_ttl_seconds = "
                        + "excluded.token_max_ttl_seconds,"
                + " secret_id_ttl_seconds = excluded.secret_id_ttl_seconds,"
                + " secret_id_num_uses = excluded.secret_id_num_uses, bound_cidrs = excluded.bound_cidrs,"
                + " updated_at = excluded.updated_at, row_mac = excluded.row_mac")) {
            ps.setString(1, name);
            ps.setObject(2, row.roleId());
            ps.setBytes(3, row.encryptedKey());
            ps.setArray(4, c.createArrayOf("text", row.policies()));
            ps.setLong(5, row.tokenTtlSeconds());
            ps.setLong(6, row.tokenMaxTtlSeconds());
            if (secretIdTtl == null) {
                ps.setNull(7, Types.BIGINT);
            } else {
                ps.setLong(7, secretIdTtl);
            }
            ps.setInt(8, row.secretIdNumUses());
            ps.setArray(9, c.createArrayOf("text", row.boundCidrs()));
            ps.setTimestamp(10, Timestamp.from(now));
            ps.setTimestamp(11, Timestamp.from(now));
            ps.setBytes(12, row.mac(macs));
            ps.executeUpdate();
        }
    }

    /** The role row matching {@code condition} (one parameter), verified, or {@code null}. */
    private static Row read(Connection c, String condition, Object parameter, RowMacs macs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ROW_COLUMNS + " FROM approle_roles WHERE "
                + condition)) {
            ps.setObject(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Row row = row(rs);
                macs.check(RowKind.APPROLE_ROLE, row.name(), rs.getBytes(10), row.mac(macs));
                return row;
            }
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        long ttl = rs.getLong(7);
        Long secretIdTtl = rs.wasNull() ? null : ttl;
        return new Row(rs.getString(1), rs.getObject(2, UUID.class), rs.getBytes(3), strings(rs.getArray(4)),
                rs.getLong(5), rs.getLong(6), secretIdTtl, rs.getInt(8), strings(rs.getArray(9)));
    }

    /** The role's settings, verified, or {@code null} if there is no such role. */
    static AppRoleSettings settings(Connection c, String name, RowMacs macs) throws SQLException {
        Row row = read(c, "name = ?", name, macs);
        if (row == null) {
            return null;
        }
        AppRoleSettings.Builder b = AppRoleSettings.builder()
                .policies(row.policies())
                .tokenTtl(Duration.ofSeconds(row.tokenTtlSeconds()))
                .tokenMaxTtl(Duration.ofSeconds(row.tokenMaxTtlSeconds()));
        if (row.secretIdTtlSeconds() != null) {
            b.secretIdTtl(Duration.ofSeconds(row.secretIdTtlSeconds()));
        }
        return b.secretIdNumUses(row.secretIdNumUses()).boundCidrs(row.boundCidrs()).build();
    }

    /** Deletes the role (its secret_ids go with it); false if there was none. */
    static boolean delete(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM approle_roles WHERE name = ?")) {
            ps.setString(1, name);
            return ps.executeUpdate() > 0;
        }
    }

    static UUID roleId(Connection c, String name, RowMacs macs) throws SQLException {
        Row row = read(c, "name = ?", name, macs);
        return row == null ? null : row.roleId();
    }

    static StoredRole forSecretId(Connection c, String name, RowMacs macs) throws SQLException {
        Row row = read(c, "name = ? FOR SHARE", name, macs);
        return row == null ? null : new StoredRole(row.encryptedKey(), row.secretIdTtlSeconds(), row.secretIdNumUses());
    }

    static void insertSecretId(Connection c, byte[] hash, String roleName, String accessor, Instant now,
            Instant expiresAt, int uses) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO approle_secret_ids"
                + " (secret_hash, role_name, accessor, created_at, expires_at, uses_left) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setBytes(1, hash);
            ps.setString(2, roleName);
            ps.setString(3, accessor);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setTimestamp(5, expiresAt == null ? null : Timestamp.from(expiresAt));
            if (uses == 0) {
                ps.setNull(6, Types.INTEGER);
            } else {
                ps.setInt(6, uses);
            }
            ps.executeUpdate();
        }
    }

    /** Loads a role by role_id, verifies it and decrypts its key; {@code null} if there is none. */
    static RoleEntry load(Connection c, Barrier barrier, UUID roleId, RowMacs macs) throws SQLException {
        Row row = read(c, "role_id = ?", roleId, macs);
        if (row == null) {
            return null;
        }
        byte[] key = barrier.decrypt(row.encryptedKey(), keyAad(row.name()));
        TreeSet<String> policies = new TreeSet<>(Arrays.asList(row.policies()));
        policies.add(Policy.DEFAULT);
        List<Cidr> cidrs = new ArrayList<>();
        for (String cidr : row.boundCidrs()) {
            cidrs.add(Cidr.parse(cidr));
        }
        return new RoleEntry(row.name(), KeyMaterial.hmacSha256(key), List.copyOf(policies),
                Duration.ofSeconds(row.tokenTtlSeconds()), Duration.ofSeconds(row.tokenMaxTtlSeconds()),
                List.copyOf(cidrs), System.nanoTime());
    }

    /**
     * One login as one statement (atomic): spends a use of the secret_id with HMAC {@code hash} of role
     * {@code roleName} — if it exists, is unexpired and has a use left — and stores the token with its lease;
     * the update count says whether it did. {@link LoginBatcher} runs many of these in one transaction. The
     * decrement is a guarded UPDATE: under concurrent logins PostgreSQL re-checks {@code uses_left > 0} on the
     * latest row version, and within a batch each statement sees the ones before it, so N uses admit exactly N
     * logins.
     *
     * <p>The secret_id is found by an index lookup of its keyed HMAC, which an attacker cannot steer, so the
     * lookup's timing reveals nothing about the stored value.
     */
    static final String CONSUME_AND_ISSUE = "WITH hit AS ("
            + " SELECT secret_hash, uses_left FROM approle_secret_ids"
            + " WHERE secret_hash = ? AND role_name = ? AND (expires_at IS NULL OR expires_at > ?)),"
            + " spent AS (UPDATE approle_secret_ids s SET uses_left = s.uses_left - 1 FROM hit"
            + " WHERE s.secret_hash = hit.secret_hash AND hit.uses_left IS NOT NULL AND s.uses_left > 0"
            + " RETURNING s.secret_hash),"
            + " granted AS (SELECT 1 FROM hit WHERE hit.uses_left IS NULL OR EXISTS (SELECT 1 FROM spent)),"
            + " lease AS (" + LeaseStore.INSERT.selectFrom("granted") + ")"
            + " " + TokenStore.INSERT.selectFrom("granted");

    /** Binds one login to {@link #CONSUME_AND_ISSUE}; its update count is 1 if the login was admitted, else 0. */
    static void bindConsumeAndIssue(Connection c, PreparedStatement ps, byte[] hash, String roleName, Instant now,
            TokenStore.Pending token) throws SQLException {
        Parameters parameters = new Parameters(c, ps).bytes(hash).text(roleName).timestamp(now);
        LeaseStore.INSERT.bind(parameters, token.lease());
        TokenStore.INSERT.bind(parameters, token);
    }

    private static String[] strings(Array array) throws SQLException {
        return (String[]) array.getArray();
    }
}
