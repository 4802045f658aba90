package io.secrethub.core.keyring;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Computes the MACs of one kind's rows that were written before rows carried them (a migration cannot: the key
 * is sealed). Runs once per database, on the first unseal after the upgrade, inside the transaction that then
 * records it was done; see {@link SystemKeyEntry}.
 */
public interface RowBackfill {

    /** The MAC of the current row of a result set, computed the way the store computes it on write. */
    @FunctionalInterface
    interface RowMac {
        byte[] of(ResultSet row, RowMacs macs) throws SQLException;
    }

    RowKind kind();

    /** MACs every row of this kind whose {@code row_mac} is NULL, trusting it as it stands; returns how many. */
    default int backfill(Connection c, RowMacs macs) throws SQLException {
        return backfill(c, macs, null, null);
    }

    /**
     * Like {@link #backfill(Connection, RowMacs)}, only for the rows whose text column {@code column} starts with
     * {@code prefix} (both {@code null}: every row). Test set-up that bulk-inserts rows with SQL authenticates just
     * its own rows this way; {@code column} is the caller's constant, never input.
     */
    int backfill(Connection c, RowMacs macs, String column, String prefix) throws SQLException;

    /**
     * The backfill of {@code kind}'s table: reads {@code columns} (which include {@code keyColumn}, the primary
     * key) of the rows without a MAC and stores {@code mac} of each.
     */
    static RowBackfill of(RowKind kind, String columns, String keyColumn, RowMac mac) {
        return new RowBackfill() {
            @Override
            public RowKind kind() {
                return kind;
            }

            @Override
            public int backfill(Connection c, RowMacs macs, String column, String prefix) throws SQLException {
                if ((column == null) != (prefix == null) || column != null && !column.matches("[a-z_]+")) {
                    throw new IllegalArgumentException("a backfill filter needs a column name and a prefix");
                }
                int done;
                String filter = column == null ? "" : " AND starts_with(" + column + ", ?)";
                try (PreparedStatement select = c.prepareStatement(
                        "SELECT " + columns + " FROM " + kind.table() + " WHERE row_mac IS NULL" + filter);
                        PreparedStatement update = c.prepareStatement(
                                "UPDATE " + kind.table() + " SET row_mac = ? WHERE " + keyColumn + " = ?")) {
                    if (prefix != null) {
                        select.setString(1, prefix);
                    }
                    done = macEach(select, update, macs);
                }
                return done;
            }

            private int macEach(PreparedStatement select, PreparedStatement update, RowMacs macs) throws SQLException {
                int done = 0;
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        update.setBytes(1, mac.of(rs, macs));
                        update.setObject(2, rs.getObject(keyColumn));
                        update.addBatch();
                        done++;
                    }
                    update.executeBatch();
                }
                return done;
            }
        };
    }
}
