package io.secrethub.core.keyring;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** SQL of the {@code keyring} table. */
final class KeyringStore {

    record StoredTerm(int term, byte[] encryptedKey, Instant createdAt) {
    }

    private KeyringStore() {
    }

    static List<StoredTerm> loadAfter(Connection c, int afterTerm) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT term, encrypted_key, created_at FROM keyring WHERE term > ? ORDER BY term")) {
            ps.setInt(1, afterTerm);
            try (ResultSet rs = ps.executeQuery()) {
                List<StoredTerm> terms = new ArrayList<>();
                while (rs.next()) {
                    terms.add(new StoredTerm(rs.getInt(1), rs.getBytes(2), rs.getTimestamp(3).toInstant()));
                }
                return terms;
            }
        }
    }

    static void insert(Connection c, int term, byte[] encryptedKey, Instant createdAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO keyring (term, encrypted_key, created_at) VALUES (?, ?, ?)")) {
            ps.setInt(1, term);
            ps.setBytes(2, encryptedKey);
            ps.setTimestamp(3, Timestamp.from(createdAt));
            ps.executeUpdate();
        }
    }

    /**
     * The next term number, after locking the seal configuration row: concurrent rotations on any
     * instance queue behind that lock instead of racing for the same term.
     */
    /** Adds {@code delta} encryptions to {@code term}'s count; returns the new total (0 if the term is gone). */
    static long addEncryptions(Connection c, int term, long delta) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE keyring SET encryptions = encryptions + ? WHERE term = ? RETURNING encryptions")) {
            ps.setLong(1, delta);
            ps.setInt(2, term);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    static int lockAndNextTerm(Connection c) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT id FROM seal_config WHERE id = 1 FOR UPDATE");
                ResultSet rs = lock.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("SecretHub is not initialized");
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(term), 0) + 1 FROM keyring");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
