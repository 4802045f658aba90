package io.secrethub.core.authz;

import io.secrethub.core.IntegrityException;
import io.secrethub.core.keyring.KeySource;
import io.secrethub.core.keyring.RowBackfill;
import io.secrethub.core.keyring.RowKind;
import io.secrethub.core.keyring.RowMacs;
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

    /** Authenticates the policy rows written before row MACs. */
    public static final RowBackfill BACKFILL = RowBackfill.of(RowKind.POLICY, "name, document", "name",
            (rs, macs) -> mac(macs, rs.getString(1), rs.getString(2)));

    private final Database database;
    private final KeySource keys;

    public PolicyStore(Database database, KeySource keys) {
        this.database = database;
        this.keys = keys;
    }

    /** The stored policy named {@code name} (the ACL cache's loader). */
    public Optional<Policy> load(String name) {
        RowMacs macs = keys.current().system().rows();
        return database.autocommit("load a policy", c -> select(c, name, macs));
    }

    /** A policy row's MAC: its name (identity) and its document. */
    private static byte[] mac(RowMacs macs, String name, String document) {
        return macs.mac(RowKind.POLICY, name, document);
    }

    static Optional<Policy> select(Connection c, String name, RowMacs macs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT document, row_mac FROM policies WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                macs.verify(RowKind.POLICY, name, rs.getBytes(2), name, rs.getString(1));
                try {
                    return Optional.of(StoredPolicy.parse(name, rs.getString(1)));
                } catch (RuntimeException e) {
                    throw new IntegrityException("stored policy " + name + " does not parse");
                }
            }
        }
    }

    static void upsert(Connection c, Policy policy, Instant now, RowMacs macs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO policies (name, document, updated_at, row_mac)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET document = excluded.document,"
                + " updated_at = excluded.updated_at, row_mac = excluded.row_mac")) {
            String document = StoredPolicy.document(policy);
            ps.setString(1, policy.name());
            ps.setString(2, document);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setBytes(4, mac(macs, policy.name(), document));
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
