package io.secrethub.core.database;

import io.secrethub.core.DatabaseRole;
import io.secrethub.core.keyring.RowBackfill;
import io.secrethub.core.keyring.RowKind;
import io.secrethub.core.keyring.RowMacs;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL of the {@code database_configs} and {@code database_roles} tables. */
final class DatabaseStore {

    /** A config row; the password stays encrypted until a pool is opened with it. */
    record StoredConfig(String name, String connectionUrl, String username, byte[] encryptedPassword,
            List<String> allowedRoles, int maxConnections, UUID generation) {

        /** The row's MAC: the name (identity), where and as whom it connects, the wrapped password, limits. */
        byte[] mac(RowMacs macs) {
            return macs.mac(RowKind.DATABASE_CONFIG, name, connectionUrl, username, encryptedPassword, allowedRoles,
                    maxConnections, generation.toString());
        }

        boolean allows(String role) {
            return allowedRoles.contains("*") || allowedRoles.contains(role);
        }

        @Override
        public String toString() {
            return "StoredConfig[" + name + "]";
        }
    }

    /** A role row with its config, as issuing and revoking credentials need them. */
    record RoleAndConfig(String roleName, DatabaseRole role, StoredConfig config) {
    }

    private static final String CONFIG_COLUMNS = "c.name, c.connection_url, c.username, c.encrypted_password,"
            + " c.allowed_roles, c.max_connections, c.generation, c.row_mac";
    private static final String ROLE_COLUMNS = "r.db_name, r.creation_statements, r.renew_statements,"
            + " r.revocation_statements, r.default_ttl_seconds, r.max_ttl_seconds, r.row_mac, r.name";
    private static final int CONFIG_MAC = 8;
    private static final int ROLE_MAC = 7;

    /** Authenticates the config rows written before row MACs. */
    static final RowBackfill CONFIG_BACKFILL = RowBackfill.of(RowKind.DATABASE_CONFIG,
            CONFIG_COLUMNS.replace("c.", ""), "name", (rs, macs) -> config(rs, 1).mac(macs));

    /** Authenticates the role rows written before row MACs. */
    static final RowBackfill ROLE_BACKFILL = RowBackfill.of(RowKind.DATABASE_ROLE, ROLE_COLUMNS.replace("r.", ""),
            "name", (rs, macs) -> roleMac(macs, rs.getString(ROLE_MAC + 1), role(rs, 1)));

    private DatabaseStore() {
    }

    /** Binds an encrypted admin password to its config name. */
    static byte[] passwordAad(String configName) {
        return ("secrethub:database-config:" + configName).getBytes(StandardCharsets.UTF_8);
    }

    static void upsertConfig(Connection c, String name, String url, String username, byte[] encryptedPassword,
            List<String> allowedRoles, int maxConnections, Instant now, RowMacs macs) throws SQLException {
        StoredConfig row = new StoredConfig(name, url, username, encryptedPassword, List.copyOf(allowedRoles),
                maxConnections, UUID.randomUUID());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO database_configs (name, connection_url, username,"
                + " encrypted_password, allowed_roles, max_connections, generation, created_at, updated_at, row_mac)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
                + " connection_url = excluded.connection_url, username = excluded.username,"
                + " encrypted_password = excluded.encrypted_password, allowed_roles = excluded.allowed_roles,"
                + " max_connections = excluded.max_connections, generation = excluded.generation,"
                + " updated_at = excluded.updated_at, row_mac = excluded.row_mac")) {
            ps.setString(1, name);
            ps.setString(2, url);
            ps.setString(3, username);
            ps.setBytes(4, encryptedPassword);
            ps.setArray(5, c.createArrayOf("text", allowedRoles.toArray()));
            ps.setInt(6, maxConnections);
            ps.setObject(7, row.generation());
            ps.setTimestamp(8, Timestamp.from(now));
            ps.setTimestamp(9, Timestamp.from(now));
            ps.setBytes(10, row.mac(macs));
            ps.executeUpdate();
        }
    }

    static Optional<StoredConfig> config(Connection c, String name, RowMacs macs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + CONFIG_COLUMNS
                + " FROM database_configs c WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(verifiedConfig(rs, 1, macs)) : Optional.empty();
            }
        }
    }

    /** Whether config {@code name} exists, locking it against a concurrent replacement until commit. */
    static boolean lockConfig(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM database_configs WHERE name = ? FOR SHARE")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static void upsertRole(Connection c, String name, DatabaseRole role, Instant now, RowMacs macs)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO database_roles (name, db_name, creation_statements,"
                + " renew_statements, revocation_statements, default_ttl_seconds, max_ttl_seconds, created_at,"
                + " updated_at, row_mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
                + " db_name = excluded.db_name, creation_statements = excluded.creation_statements,"
                + " renew_statements = excluded.renew_statements,"
                + " revocation_statements = excluded.revocation_statements,"
                + " default_ttl_seconds = excluded.default_ttl_seconds, max_ttl_seconds = excluded.max_ttl_seconds,"
                + " updated_at = excluded.updated_at, row_mac = excluded.row_mac")) {
            ps.setBytes(10, roleMac(macs, name, role));
            ps.setString(1, name);
            ps.setString(2, role.dbName());
            ps.setArray(3, c.createArrayOf("text", role.creationStatements().toArray()));
            ps.setArray(4, c.createArrayOf("text", role.renewStatements().toArray()));
            ps.setArray(5, c.createArrayOf("text", role.revocationStatements().toArray()));
            ps.setLong(6, role.defaultTtl().toSeconds());
            ps.setLong(7, role.maxTtl().toSeconds());
            ps.setTimestamp(8, Timestamp.from(now));
            ps.setTimestamp(9, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    static Optional<DatabaseRole> role(Connection c, String name, RowMacs macs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ROLE_COLUMNS
                + " FROM database_roles r WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(verifiedRole(rs, name, macs)) : Optional.empty();
            }
        }
    }

    /** A role with its connection config, in one round trip. */
    static Optional<RoleAndConfig> roleAndConfig(Connection c, String roleName, RowMacs macs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ROLE_COLUMNS + ", " + CONFIG_COLUMNS
                + " FROM database_roles r JOIN database_configs c ON c.name = r.db_name WHERE r.name = ?")) {
            ps.setString(1, roleName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new RoleAndConfig(roleName, verifiedRole(rs, roleName, macs),
                        verifiedConfig(rs, ROLE_MAC + 2, macs))) : Optional.empty();
            }
        }
    }

    /** A role row's MAC: its name (identity), the config it uses, its statements and TTLs. */
    private static byte[] roleMac(RowMacs macs, String name, DatabaseRole role) {
        return macs.mac(RowKind.DATABASE_ROLE, name, role.dbName(), role.creationStatements(),
                role.renewStatements(), role.revocationStatements(), role.defaultTtl(), role.maxTtl());
    }

    private static DatabaseRole verifiedRole(ResultSet rs, String name, RowMacs macs) throws SQLException {
        DatabaseRole role = role(rs, 1);
        macs.check(RowKind.DATABASE_ROLE, name, rs.getBytes(ROLE_MAC), roleMac(macs, name, role));
        return role;
    }

    private static StoredConfig verifiedConfig(ResultSet rs, int first, RowMacs macs) throws SQLException {
        StoredConfig config = config(rs, first);
        macs.check(RowKind.DATABASE_CONFIG, config.name(), rs.getBytes(first + CONFIG_MAC - 1), config.mac(macs));
        return config;
    }

    private static StoredConfig config(ResultSet rs, int first) throws SQLException {
        return new StoredConfig(rs.getString(first), rs.getString(first + 1), rs.getString(first + 2),
                rs.getBytes(first + 3), List.of(strings(rs.getArray(first + 4))), rs.getInt(first + 5),
                rs.getObject(first + 6, UUID.class));
    }

    private static DatabaseRole role(ResultSet rs, int first) throws SQLException {
        DatabaseRole.Builder b = DatabaseRole.builder(rs.getString(first))
                .creationStatements(strings(rs.getArray(first + 1)))
                .renewStatements(strings(rs.getArray(first + 2)))
                .revocationStatements(strings(rs.getArray(first + 3)))
                .defaultTtl(Duration.ofSeconds(rs.getLong(first + 4)))
                .maxTtl(Duration.ofSeconds(rs.getLong(first + 5)));
        return b.build();
    }

    private static String[] strings(Array array) throws SQLException {
        Object[] values = (Object[]) array.getArray();
        return Arrays.copyOf(values, values.length, String[].class);
    }
}
