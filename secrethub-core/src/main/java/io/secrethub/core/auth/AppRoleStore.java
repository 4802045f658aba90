package io.secrethub.core.auth;

import io.secrethub.core.AppRoleSettings;
import io.secrethub.core.keyring.Barrier;
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

    /** Creates the role, or updates its settings keeping role_id and key. */
    static void upsert(Connection c, String name, UUID newRoleId, byte[] newEncryptedKey, AppRoleSettings s,
            Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO approle_roles (name, role_id, hmac_key, policies,"
                + " token_ttl_seconds, token_max_ttl_seconds, secret_id_ttl_seconds, secret_id_num_uses, bound_cidrs,"
                + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET policies = excluded.policies,"
                + " token_ttl_seconds = excluded.token_ttl_seconds, token_max_ttl_seconds = excluded.token_max_ttl_seconds,"
                + " secret_id_ttl_seconds = excluded.secret_id_ttl_seconds,"
                + " secret_id_num_uses = excluded.secret_id_num_uses, bound_cidrs = excluded.bound_cidrs,"
                + " updated_at = excluded.updated_at")) {
            ps.setString(1, name);
            ps.setObject(2, newRoleId);
            ps.setBytes(3, newEncryptedKey);
            ps.setArray(4, c.createArrayOf("text", s.policies().toArray()));
            ps.setLong(5, s.tokenTtl().toSeconds());
            ps.setLong(6, s.tokenMaxTtl().toSeconds());
            if (s.secretIdTtl() == null) {
                ps.setNull(7, Types.BIGINT);
            } else {
                ps.setLong(7, s.secretIdTtl().toSeconds());
            }
            ps.setInt(8, s.secretIdNumUses());
            ps.setArray(9, c.createArrayOf("text", s.boundCidrs().toArray()));
            ps.setTimestamp(10, Timestamp.from(now));
            ps.setTimestamp(11, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    /** The role's settings, or {@code null} if there is no such role. */
    static AppRoleSettings settings(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT policies, token_ttl_seconds, token_max_ttl_seconds,"
                + " secret_id_ttl_seconds, secret_id_num_uses, bound_cidrs FROM approle_roles WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                AppRoleSettings.Builder b = AppRoleSettings.builder()
                        .policies(strings(rs.getArray(1)))
                        .tokenTtl(Duration.ofSeconds(rs.getLong(2)))
                        .tokenMaxTtl(Duration.ofSeconds(rs.getLong(3)));
                long secretIdTtl = rs.getLong(4);
                if (!rs.wasNull()) {
                    b.secretIdTtl(Duration.ofSeconds(secretIdTtl));
                }
                return b.secretIdNumUses(rs.getInt(5)).boundCidrs(strings(rs.getArray(6))).build();
            }
        }
    }

    /** Deletes the role (its secret_ids go with it); false if there was none. */
    static boolean delete(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM approle_roles WHERE name = ?")) {
            ps.setString(1, name);
            return ps.executeUpdate() > 0;
        }
    }

    static UUID roleId(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT role_id FROM approle_roles WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1, UUID.class) : null;
            }
        }
    }

    static StoredRole forSecretId(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT hmac_key, secret_id_ttl_seconds, secret_id_num_uses FROM approle_roles WHERE name = ? FOR SHARE")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                byte[] key = rs.getBytes(1);
                long ttl = rs.getLong(2);
                Long ttlSeconds = rs.wasNull() ? null : ttl;
                return new StoredRole(key, ttlSeconds, rs.getInt(3));
            }
        }
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

    /** Loads a role by role_id and decrypts its key; {@code null} if there is none. */
    static RoleEntry load(Connection c, Barrier barrier, UUID roleId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name, hmac_key, policies, token_ttl_seconds,"
                + " token_max_ttl_seconds, bound_cidrs FROM approle_roles WHERE role_id = ?")) {
            ps.setObject(1, roleId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                String name = rs.getString(1);
                byte[] key = barrier.decrypt(rs.getBytes(2), keyAad(name));
                java.util.TreeSet<String> policies = new java.util.TreeSet<>(java.util.Arrays.asList(strings(rs.getArray(3))));
                policies.add(io.secrethub.core.policy.Policy.DEFAULT);
                java.util.List<Cidr> cidrs = new java.util.ArrayList<>();
                for (String cidr : strings(rs.getArray(6))) {
                    cidrs.add(Cidr.parse(cidr));
                }
                return new RoleEntry(name, io.secrethub.core.crypto.KeyMaterial.hmacSha256(key),
                        java.util.List.copyOf(policies), Duration.ofSeconds(rs.getLong(4)),
                        Duration.ofSeconds(rs.getLong(5)), java.util.List.copyOf(cidrs), System.nanoTime());
            }
        }
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
