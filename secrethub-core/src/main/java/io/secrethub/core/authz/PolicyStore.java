package io.secrethub.core.authz;

import io.secrethub.core.IntegrityException;
import io.secrethub.core.policy.Policy;
import io.secrethub.core.storage.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code policies} table: one row per named policy, in Vault's JSON form. */
public final class PolicyStore {

    private final Database database;

    public PolicyStore(Database database) {
        this.database = database;
    }

    /** The stored policy named {@code name} (the ACL cache's loader). */
    public Optional<Policy> load(String name) {
        return database.autocommit("load a policy", c -> select(c, name));
    }

    static Optional<Policy> select(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT document FROM policies WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(Policy.fromJson(name, rs.getString(1)));
                } catch (RuntimeException e) {
                    throw new IntegrityException("stored policy " + name + " does not parse");
                }
            }
        }
    }

    static void upsert(Connection c, Policy policy, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO policies (name, document, updated_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at")) {
            ps.setString(1, policy.name());
            ps.setString(2, policy.toJson());
            ps.setTimestamp(3, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    static boolean delete(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM policies WHERE name = ?")) {
            ps.setString(1, name);
            return ps.executeUpdate() > 0;
        }
    }

    static List<String> names(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM policies ORDER BY name");
                ResultSet rs = ps.executeQuery()) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        }
    }
}
