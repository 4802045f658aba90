package io.secrethub.core.keyring;

import io.secrethub.core.IntegrityException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * Named internal values stored encrypted through the barrier ({@code system_entries}), each bound to
 * its name by the associated data. Later features (e.g. the internal CA's key) can keep their
 * encrypted material here.
 */
public final class SystemEntries {

    private SystemEntries() {
    }

    public static void put(Connection c, Barrier barrier, String name, byte[] value, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO system_entries (name, value, updated_at) VALUES "
                + "(?, ?, ?) "
                + "ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")) {
            ps.setString(1, name);
            ps.setBytes(2, barrier.encrypt(value, aad(name)));
            ps.setTimestamp(3, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    public static Optional<byte[]> get(Connection c, Barrier barrier, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM system_entries WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(barrier.decrypt(rs.getBytes(1), aad(name)));
            }
        }
    }

    /** The entry, which must exist. */
    public static byte[] require(Connection c, Barrier barrier, String name) throws SQLException {
        return get(c, barrier, name).orElseThrow(() -> new IntegrityException("system entry " + name + " is missing"));
    }

    private static byte[] aad(String name) {
        return ("secrethub:system:" + name).getBytes(StandardCharsets.UTF_8);
    }
}
