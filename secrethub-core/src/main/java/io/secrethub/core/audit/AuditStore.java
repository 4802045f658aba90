package io.secrethub.core.audit;

import io.secrethub.core.AuditOutcome;
import io.secrethub.core.AuditRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/** SQL of the {@code audit_log} and {@code audit_head} tables. */
final class AuditStore {

    record Head(long sequence, byte[] hash) {
    }

    /**
     * Appends a batch and moves the head in one statement, and only if the head is still where the batch
     * was linked from: when another instance appended in between, nothing is written and the caller relinks.
     * In autocommit mode this is one round trip and one commit per batch, which is what keeps the audit log
     * from capping throughput. The arrays are text (but the sequence) so every column has one explicit cast.
     */
    private static final String APPEND = "WITH moved AS (UPDATE audit_head SET seq = ?, hash = ?"
            + " WHERE id = 1 AND seq = ? AND hash = ? RETURNING 1)"
            + " INSERT INTO audit_log (seq, recorded_at, node, request_id, operation, path, accessor_hmac,"
            + " client_address, outcome, error, detail, hash)"
            + " SELECT u.seq, u.recorded_at::timestamptz, u.node, u.request_id::uuid, u.operation, u.path,"
            + " u.accessor_hmac, u.client_address, u.outcome, u.error, u.detail, decode(u.hash, 'hex')"
            + " FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
            + " ?::text[], ?::text[], ?::text[], ?::text[]) AS u(seq, recorded_at, node, request_id, operation, path,"
            + " accessor_hmac, client_address, outcome, error, detail, hash)"
            + " WHERE EXISTS (SELECT 1 FROM moved)";

    static final String SELECT = "SELECT seq, recorded_at, node, request_id, operation, path, accessor_hmac,"
            + " client_address, outcome, error, detail, hash FROM audit_log";

    private AuditStore() {
    }

    /**
     * Locks the chain head for the rest of the transaction. Every instance's writer takes this lock
     * per batch, so batches from different instances append one after another, gaplessly.
     */
    static Head lockHead(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("audit_head row is missing", "55000");
            }
            return new Head(rs.getLong(1), rs.getBytes(2));
        }
    }

    static Head readHead(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("audit_head row is missing", "55000");
            }
            return new Head(rs.getLong(1), rs.getBytes(2));
        }
    }

    /**
     * Stores {@code entries} as records {@code from.sequence() + 1 …} with their {@code hashes} and moves the
     * head to the last of them, if the head is still {@code from}.
     *
     * @return false if the head had moved (nothing was written)
     */
    static boolean append(Connection c, Head from, List<AuditEntry> entries, List<byte[]> hashes, int timeoutSeconds)
            throws SQLException {
        int n = entries.size();
        Long[] seq = new Long[n];
        String[][] columns = new String[11][n];
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < n; i++) {
            AuditEntry e = entries.get(i);
            seq[i] = from.sequence() + 1 + i;
            columns[0][i] = e.time().toString(); // ISO-8601 UTC, microseconds: exact as timestamptz
            columns[1][i] = e.node();
            columns[2][i] = e.requestId().toString();
            columns[3][i] = e.operation();
            columns[4][i] = e.path();
            columns[5][i] = e.accessorHmac();
            columns[6][i] = e.clientAddress();
            columns[7][i] = e.outcome().name();
            columns[8][i] = e.error();
            columns[9][i] = e.detail();
            columns[10][i] = hex.formatHex(hashes.get(i));
        }
        try (PreparedStatement ps = c.prepareStatement(APPEND)) {
            ps.setQueryTimeout(timeoutSeconds);
            ps.setLong(1, from.sequence() + n);
            ps.setBytes(2, hashes.get(n - 1));
            ps.setLong(3, from.sequence());
            ps.setBytes(4, from.hash());
            ps.setArray(5, c.createArrayOf("bigint", seq));
            for (int column = 0; column < columns.length; column++) {
                ps.setArray(6 + column, c.createArrayOf("text", columns[column]));
            }
            int inserted = ps.executeUpdate();
            if (inserted != 0 && inserted != n) {
                throw new SQLException("audit append wrote " + inserted + " of " + n + " records", "XX000");
            }
            return inserted == n;
        }
    }

    /**
     * A stored row as a record. An outcome that is not one of ours (someone edited it) maps to
     * {@code null}, which the verifier then reports as an edit instead of failing.
     */
    static AuditRecord record(ResultSet rs) throws SQLException {
        AuditOutcome outcome;
        try {
            outcome = AuditOutcome.valueOf(rs.getString(9));
        } catch (IllegalArgumentException | NullPointerException e) {
            outcome = null;
        }
        return new AuditRecord(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                rs.getObject(4, UUID.class), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                outcome, rs.getString(10), rs.getString(11), rs.getBytes(12));
    }

    /** The entry a stored record was appended as, or null if it can no longer be one (edited outcome). */
    static AuditEntry entryOf(AuditRecord r) {
        if (r.outcome() == null) {
            return null;
        }
        try {
            return new AuditEntry(r.time(), r.node(), r.requestId(), r.operation(), r.path(), r.accessorHmac(),
                    r.clientAddress(), r.outcome(), r.error(), r.detail());
        } catch (NullPointerException e) {
            return null; // a required field was nulled: that is an edit
        }
    }
}
