package io.secrethub.core.agents;

import io.secrethub.core.keyring.RowBackfill;
import io.secrethub.core.keyring.RowKind;
import io.secrethub.core.keyring.RowMacs;
import io.secrethub.core.pki.IssuedCertificate;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * SQL of the {@code agents} and {@code agent_certificates} tables. Both carry row MACs: an agent's over its id,
 * registration time and revocation time; a certificate's over its serial, agent, issue time, expiry and
 * revocation time (the metadata decides nothing and is left out: jsonb rewrites its text). Revoking rewrites the
 * MACs, so un-revoking a row behind SecretHub's back fails them.
 */
final class AgentStore {

    /** Authenticate the agent and certificate rows written before row MACs. */
    static final List<RowBackfill> BACKFILLS = List.of(
            RowBackfill.of(RowKind.AGENT, "agent_id, registered_at, revoked_at", "agent_id",
                    (rs, macs) -> agentMac(macs, rs.getString(1), instant(rs, 2), instant(rs, 3))),
            RowBackfill.of(RowKind.AGENT_CERTIFICATE, "serial, agent_id, issued_at, not_after, revoked_at", "serial",
                    (rs, macs) -> certificateMac(macs, rs.getBigDecimal(1).toBigInteger(), rs.getString(2),
                            instant(rs, 3), instant(rs, 4), instant(rs, 5))));

    private AgentStore() {
    }

    static byte[] agentMac(RowMacs macs, String agentId, Instant registeredAt, Instant revokedAt) {
        return macs.mac(RowKind.AGENT, agentId, registeredAt, revokedAt);
    }

    static byte[] certificateMac(RowMacs macs, BigInteger serial, String agentId, Instant issuedAt, Instant notAfter,
            Instant revokedAt) {
        return macs.mac(RowKind.AGENT_CERTIFICATE, serial.toString(16), agentId, issuedAt, notAfter, revokedAt);
    }

    /** How {@link #register} went. */
    enum Registration {
        /** The id had never been registered: no certificate of it existed before. */
        NEW,
        /** A revoked agent registered again, in place: certificates it held before may be presented still. */
        AGAIN,
        /** An unrevoked agent with that id exists: nothing was written. */
        REFUSED
    }

    /**
     * Registers the agent and records its certificate, unless an unrevoked agent with that id exists
     * (a revoked one is re-registered in place). One statement; whether the id existed before is read in the
     * statement's own snapshot.
     */
    static Registration register(Connection c, String metadataJson, IssuedCertificate cert, Instant now,
            RowMacs macs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("WITH prior AS (SELECT 1 FROM agents WHERE agent_id = ?),"
                + " a AS (INSERT INTO agents (agent_id, metadata, registered_at, row_mac) VALUES (?, ?::jsonb, ?, ?)"
                + " ON CONFLICT (agent_id) DO UPDATE SET metadata = excluded.metadata,"
                + " registered_at = excluded.registered_at, revoked_at = NULL, row_mac = excluded.row_mac"
                + " WHERE agents.revoked_at IS NOT NULL RETURNING agent_id),"
                + " issued AS (INSERT INTO agent_certificates (serial, agent_id, issued_at, not_after, row_mac)"
                + " SELECT ?, agent_id, ?, ?, ? FROM a RETURNING 1)"
                + " SELECT EXISTS (SELECT 1 FROM issued), EXISTS (SELECT 1 FROM prior)")) {
            ps.setString(1, cert.agentId());
            ps.setString(2, cert.agentId());
            ps.setString(3, metadataJson);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setBytes(5, agentMac(macs, cert.agentId(), now, null));
            ps.setBigDecimal(6, new BigDecimal(cert.serial()));
            ps.setTimestamp(7, Timestamp.from(now));
            ps.setTimestamp(8, Timestamp.from(cert.notAfter()));
            ps.setBytes(9, certificateMac(macs, cert.serial(), cert.agentId(), now, cert.notAfter(), null));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return !rs.getBoolean(1) ? Registration.REFUSED : rs.getBoolean(2) ? Registration.AGAIN
                        : Registration.NEW;
            }
        }
    }

    /** Records a renewed certificate if the agent is registered and not revoked. */
    static boolean addCertificate(Connection c, IssuedCertificate cert, Instant now, RowMacs macs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_certificates"
                + " (serial, agent_id, issued_at, not_after, row_mac)"
                + " SELECT ?, agent_id, ?, ?, ? FROM agents WHERE agent_id = ? AND revoked_at IS NULL")) {
            ps.setBigDecimal(1, new BigDecimal(cert.serial()));
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setTimestamp(3, Timestamp.from(cert.notAfter()));
            ps.setBytes(4, certificateMac(macs, cert.serial(), cert.agentId(), now, cert.notAfter(), null));
            ps.setString(5, cert.agentId());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Marks the agent and all its certificates revoked, with new MACs (inside the caller's transaction).
     *
     * @return whether there was an unrevoked agent
     */
    static boolean revoke(Connection c, String agentId, Instant now, RowMacs macs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE agents SET revoked_at = ? WHERE agent_id = ?"
                + " AND revoked_at IS NULL RETURNING registered_at")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, agentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                try (PreparedStatement mac = c.prepareStatement("UPDATE agents SET row_mac = ? WHERE agent_id = ?")) {
                    mac.setBytes(1, agentMac(macs, agentId, instant(rs, 1), now));
                    mac.setString(2, agentId);
                    mac.executeUpdate();
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE agent_certificates SET revoked_at = ?"
                + " WHERE agent_id = ? AND revoked_at IS NULL RETURNING serial, issued_at, not_after");
                PreparedStatement mac = c.prepareStatement(
                        "UPDATE agent_certificates SET row_mac = ? WHERE serial = ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, agentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    BigDecimal serial = rs.getBigDecimal(1);
                    mac.setBytes(1, certificateMac(macs, serial.toBigInteger(), agentId, instant(rs, 2), instant(rs, 3),
                            now));
                    mac.setBigDecimal(2, serial);
                    mac.addBatch();
                }
            }
            mac.executeBatch();
        }
        return true;
    }

    /**
     * Whether {@code serial} must be refused: revoked, its agent revoked, issued before the agent's current
     * registration (a certificate revoked with an earlier registration stays revoked), or not issued here at
     * all (fail closed).
     *
     * @throws io.secrethub.core.IntegrityException if either row was changed behind SecretHub's back
     */
    static boolean isRevoked(Connection c, BigInteger serial, RowMacs macs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT ac.agent_id, ac.issued_at, ac.not_after, ac.revoked_at,"
                + " ac.row_mac, a.registered_at, a.revoked_at, a.row_mac"
                + " FROM agent_certificates ac JOIN agents a ON a.agent_id = ac.agent_id WHERE ac.serial = ?")) {
            ps.setBigDecimal(1, new BigDecimal(serial));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return true;
                }
                String agentId = rs.getString(1);
                Instant issued = instant(rs, 2);
                Instant certificateRevoked = instant(rs, 4);
                Instant registered = instant(rs, 6);
                Instant agentRevoked = instant(rs, 7);
                macs.check(RowKind.AGENT_CERTIFICATE, serial.toString(16), rs.getBytes(5),
                        certificateMac(macs, serial, agentId, issued, instant(rs, 3), certificateRevoked));
                macs.check(RowKind.AGENT, agentId, rs.getBytes(8), agentMac(macs, agentId, registered, agentRevoked));
                return certificateRevoked != null || agentRevoked != null || issued.isBefore(registered);
            }
        }
    }

    /** When the unrevoked agent {@code agentId} registered (verified), or empty if it is not registered. */
    static Optional<Instant> registeredAt(Connection c, String agentId, RowMacs macs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT registered_at, revoked_at, row_mac FROM agents WHERE agent_id = ?")) {
            ps.setString(1, agentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Instant registered = instant(rs, 1);
                Instant revoked = instant(rs, 2);
                macs.check(RowKind.AGENT, agentId, rs.getBytes(3), agentMac(macs, agentId, registered, revoked));
                return revoked == null ? Optional.of(registered) : Optional.empty();
            }
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
