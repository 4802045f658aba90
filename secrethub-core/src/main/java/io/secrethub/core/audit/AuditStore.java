package io.secrethub.core.audit;

import io.secrethub.core.AuditOutcome;
import io.secrethub.core.AuditRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.UUID;

/** SQL of the {@code audit_log} and {@code audit_head} tables. */
final class AuditStore {

    record Head(long sequence, byte[] hash) {
    }

    static final String INSERT = "INSERT INTO audit_log (seq, recorded_at, node, request_id, operation, path,"
            + " accessor_hmac, client_address, outcome, error, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
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

    static void bind(PreparedStatement ps, long sequence, AuditEntry e, byte[] hash) throws SQLException {
        ps.setLong(1, sequence);
        ps.setTimestamp(2, Timestamp.from(e.time()));
        ps.setString(3, e.node());
        ps.setObject(4, e.requestId());
        ps.setString(5, e.operation());
        ps.setString(6, e.path());
        ps.setString(7, e.accessorHmac());
        ps.setString(8, e.clientAddress());
        ps.setString(9, e.outcome().name());
        ps.setString(10, e.error());
        ps.setString(11, e.detail());
        ps.setBytes(12, hash);
    }

    static void moveHead(Connection c, long sequence, byte[] hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1")) {
            ps.setLong(1, sequence);
            ps.setBytes(2, hash);
            ps.executeUpdate();
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
