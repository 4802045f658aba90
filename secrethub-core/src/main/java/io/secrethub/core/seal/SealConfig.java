package io.secrethub.core.seal;

import io.secrethub.core.Sys;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * The stored seal configuration (one row, written once by {@link Sys#initialize}).
 *
 * @param encryptedRootKey the root key, AES-GCM encrypted under the unseal key; decrypting it is how a
 *     reconstructed unseal key is verified
 */
record SealConfig(int shares, int threshold, byte[] shareSetId, byte[] encryptedRootKey, Instant initializedAt) {

    static Optional<SealConfig> load(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT secret_shares, secret_threshold, share_set_id,"
                + " encrypted_root_key, initialized_at FROM seal_config WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new SealConfig(rs.getInt(1), rs.getInt(2), rs.getBytes(3), rs.getBytes(4),
                    rs.getTimestamp(5).toInstant()));
        }
    }

    /** Inserts the row; fails with a unique violation if another initialization got there first. */
    void insert(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO seal_config (id, secret_shares, secret_threshold,"
                + " share_set_id, encrypted_root_key, initialized_at) VALUES (1, ?, ?, ?, ?, ?)")) {
            ps.setInt(1, shares);
            ps.setInt(2, threshold);
            ps.setBytes(3, shareSetId);
            ps.setBytes(4, encryptedRootKey);
            ps.setTimestamp(5, Timestamp.from(initializedAt));
            ps.executeUpdate();
        }
    }
}
