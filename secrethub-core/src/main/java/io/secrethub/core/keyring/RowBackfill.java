package io.secrethub.core.keyring;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Computes the MACs of one kind's rows that were written before rows carried them (a migration cannot: the key
 * is sealed). Runs once per database, on the first unseal after the upgrade, inside the transaction that then
 * records it was done; see {@code SystemKeyEntry}.
 */
public interface RowBackfill {

    RowKind kind();

    /** MACs every row of this kind whose {@code row_mac} is NULL, trusting it as it stands; returns how many. */
    int backfill(Connection c, RowMacs macs) throws SQLException;
}
