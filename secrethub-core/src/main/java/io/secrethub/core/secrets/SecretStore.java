package io.secrethub.core.secrets;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * SQL of {@code secret_metadata} and {@code secret_versions}. Every statement on a hot path uses an
 * index: the unique index on {@code path} and the primary key {@code (secret_id, version)}.
 */
final class SecretStore {

    record MetadataRow(long id, String path, int currentVersion, int oldestVersion, int maxVersions,
            boolean casRequired, Instant createdAt, Instant updatedAt) {
    }

    record StoredVersion(long secretId, int version, byte[] ciphertext, Instant createdAt, Instant deletedAt,
            boolean destroyed) {
    }

    private static final String METADATA_COLUMNS =
            "id, path, current_version, oldest_version, max_versions, cas_required, created_at, updated_at";

    private SecretStore() {
    }

    /**
     * One round trip for a read: the metadata row (by its unique path) joined to the wanted version (by
     * primary key); {@code version} 0 means the current one.
     */
    static Optional<StoredVersion> readVersion(Connection c, String path, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT m.id, v.version, v.ciphertext, v.created_at,"
                + " v.deleted_at, v.destroyed FROM secret_metadata m JOIN secret_versions v ON v.secret_id = m.id"
                + " AND v.version = CASE WHEN ? = 0 THEN m.current_version ELSE ? END WHERE m.path = ?")) {
            ps.setInt(1, version);
            ps.setInt(2, version);
            ps.setString(3, path);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredVersion(rs.getLong(1), rs.getInt(2), rs.getBytes(3),
                        instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5)), rs.getBoolean(6)));
            }
        }
    }

    /**
     * The latest version's metadata (no ciphertext) of each of {@code paths} that holds one, in one round trip
     * through the unique index on {@code path}.
     */
    static Map<String, StoredVersion> latestVersions(Connection c, List<String> paths) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT m.path, m.id, v.version, v.created_at, v.deleted_at,"
                + " v.destroyed FROM secret_metadata m JOIN secret_versions v ON v.secret_id = m.id"
                + " AND v.version = m.current_version WHERE m.path = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", paths.toArray()));
            Map<String, StoredVersion> latest = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    latest.put(rs.getString(1), new StoredVersion(rs.getLong(2), rs.getInt(3), null,
                            instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5)), rs.getBoolean(6)));
                }
            }
            return latest;
        }
    }

    static Optional<MetadataRow> findMetadata(Connection c, String path) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + METADATA_COLUMNS + " FROM secret_metadata WHERE path = ?")) {
            ps.setString(1, path);
            return metadataRow(ps);
        }
    }

    /**
     * The path's metadata row, created if absent, locked until the transaction ends. Every writer of
     * the path queues on this row lock, which is what gives each write its own version number and
     * makes check-and-set exact.
     */
    static MetadataRow lockForWrite(Connection c, String path, Instant now) throws SQLException {
        Optional<MetadataRow> row = selectForUpdate(c, path);
        if (row.isPresent()) {
            return row.get();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO secret_metadata (path, created_at, updated_at)"
                + " VALUES (?, ?, ?) ON CONFLICT (path) DO NOTHING RETURNING " + METADATA_COLUMNS)) {
            ps.setString(1, path);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setTimestamp(3, Timestamp.from(now));
            Optional<MetadataRow> inserted = metadataRow(ps);
            if (inserted.isPresent()) {
                return inserted.get();
            }
        }
        // A concurrent writer created it between our two statements: now it exists, lock it.
        return selectForUpdate(c, path).orElseThrow(() -> new SQLException("metadata row of a path vanished", "40001"));
    }

    /**
     * Records version {@code version} and moves the metadata to it, pruning versions below
     * {@code oldestKept}: one round trip.
     */
    static void appendVersion(Connection c, long secretId, int version, byte[] ciphertext, Instant now, int oldestKept)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("WITH meta AS ("
                + " UPDATE secret_metadata SET current_version = ?, oldest_version = ?, updated_at = ? WHERE id = ?),"
                + " pruned AS (DELETE FROM secret_versions WHERE secret_id = ? AND version < ?)"
                + " INSERT INTO secret_versions (secret_id, version, ciphertext, created_at) VALUES (?, ?, ?, ?)")) {
            ps.setInt(1, version);
            ps.setInt(2, oldestKept);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setLong(4, secretId);
            ps.setLong(5, secretId);
            ps.setInt(6, oldestKept);
            ps.setLong(7, secretId);
            ps.setInt(8, version);
            ps.setBytes(9, ciphertext);
            ps.setTimestamp(10, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    /** Changes the settings of a locked metadata row and prunes versions below {@code oldestKept}. */
    static void updateSettings(Connection c, long secretId, int maxVersions, boolean casRequired, int oldestKept,
            Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE secret_metadata SET max_versions = ?, cas_required = ?,"
                + " oldest_version = ?, updated_at = ? WHERE id = ?")) {
            ps.setInt(1, maxVersions);
            ps.setBoolean(2, casRequired);
            ps.setInt(3, oldestKept);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setLong(5, secretId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM secret_versions WHERE secret_id = ? AND version < "
                + "?")) {
            ps.setLong(1, secretId);
            ps.setInt(2, oldestKept);
            ps.executeUpdate();
        }
    }

    /** Soft-deletes live versions among {@code versions}; returns how many changed. */
    static int markDeleted(Connection c, long secretId, int[] versions, Instant now) throws SQLException {
        return updateVersions(c, "UPDATE secret_versions SET deleted_at = ? WHERE secret_id = ? AND version = ANY(?)"
                + " AND deleted_at IS NULL AND NOT destroyed", secretId, versions, now);
    }

    static int undelete(Connection c, long secretId, int[] versions) throws SQLException {
        return updateVersions(c, "UPDATE secret_versions SET deleted_at = NULL WHERE secret_id = ? AND version = ANY(?)"
                + " AND deleted_at IS NOT NULL AND NOT destroyed", secretId, versions, null);
    }

    /** Drops the ciphertext of {@code versions} for good (the row stays, marked destroyed). */
    static int destroy(Connection c, long secretId, int[] versions) throws SQLException {
        return updateVersions(c, "UPDATE secret_versions SET ciphertext = NULL, destroyed = true WHERE secret_id = ?"
                + " AND version = ANY(?) AND NOT destroyed", secretId, versions, null);
    }

    static boolean deleteAll(Connection c, String path) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM secret_metadata WHERE path = ?")) {
            ps.setString(1, path);
            return ps.executeUpdate() > 0; // versions go with it (ON DELETE CASCADE)
        }
    }

    /** The metadata of every stored version, oldest first. */
    static List<SecretStore.StoredVersion> versions(Connection c, long secretId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version, created_at, deleted_at, destroyed"
                + " FROM secret_versions WHERE secret_id = ? ORDER BY version")) {
            ps.setLong(1, secretId);
            try (ResultSet rs = ps.executeQuery()) {
                List<StoredVersion> versions = new ArrayList<>();
                while (rs.next()) {
                    versions.add(new StoredVersion(secretId, rs.getInt(1), null, instant(rs.getTimestamp(2)),
                            instant(rs.getTimestamp(3)), rs.getBoolean(4)));
                }
                return versions;
            }
        }
    }

    /**
     * The direct children of folder {@code prefix} ({@code ""} or ending in {@code /}). A range scan on
     * the path index: with the "C" collation, the paths under {@code a/} are exactly those in
     * {@code ['a/', 'a0')}, as {@code '0'} follows {@code '/'}.
     */
    static List<String> children(Connection c, String prefix) throws SQLException {
        String sql = prefix.isEmpty() ? "SELECT path FROM secret_metadata ORDER BY path"
                : "SELECT path FROM secret_metadata WHERE path >= ? AND path < ? ORDER BY path";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (!prefix.isEmpty()) {
                ps.setString(1, prefix);
                ps.setString(2, prefix.substring(0, prefix.length() - 1) + (char) ('/' + 1));
            }
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                TreeSet<String> names = new TreeSet<>();
                while (rs.next()) {
                    String rest = rs.getString(1).substring(prefix.length());
                    int slash = rest.indexOf('/');
                    names.add(slash < 0 ? rest : rest.substring(0, slash + 1));
                }
                return new ArrayList<>(names);
            }
        }
    }

    private static Optional<MetadataRow> selectForUpdate(Connection c, String path) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + METADATA_COLUMNS + " FROM secret_metadata WHERE path = ? FOR UPDATE")) {
            ps.setString(1, path);
            return metadataRow(ps);
        }
    }

    private static Optional<MetadataRow> metadataRow(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new MetadataRow(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getInt(5),
                    rs.getBoolean(6), instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8))));
        }
    }

    private static int updateVersions(Connection c, String sql, long secretId, int[] versions, Instant now)
            throws SQLException {
        Integer[] boxed = new Integer[versions.length];
        for (int i = 0; i < versions.length; i++) {
            boxed[i] = versions[i];
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int index = 1;
            if (now != null) {
                ps.setTimestamp(index++, Timestamp.from(now));
            }
            ps.setLong(index++, secretId);
            Array array = c.createArrayOf("integer", boxed);
            ps.setArray(index, array);
            return ps.executeUpdate();
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
