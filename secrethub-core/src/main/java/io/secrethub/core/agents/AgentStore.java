package io.secrethub.core.agents;

import io.secrethub.core.pki.IssuedCertificate;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** SQL of the {@code agents} and {@code agent_certificates} tables; each method is one round trip. */
final class AgentStore {

    private AgentStore() {
    }

    /**
     * Registers the agent and records its certificate, unless an unrevoked agent with that id exists
     * (a revoked one is re-registered in place).
     *
     * @return whether it was registered
     */
    static boolean register(Connection c, String metadataJson, IssuedCertificate cert, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("WITH a AS ("
                + " INSERT INTO agents (agent_id, metadata, registered_at) VALUES (?, ?::jsonb, ?)"
                + " ON CONFLICT (agent_id) DO UPDATE SET metadata = excluded.metadata,"
                + " registered_at = excluded.registered_at, revoked_at = NULL WHERE agents.revoked_at IS NOT NULL"
                + " RETURNING agent_id)"
                + " INSERT INTO agent_certificates (serial, agent_id, issued_at, not_after) SELECT ?, agent_id, ?, ? FROM a")) {
            ps.setString(1, cert.agentId());
            ps.setString(2, metadataJson);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setBigDecimal(4, new BigDecimal(cert.serial()));
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setTimestamp(6, Timestamp.from(cert.notAfter()));
            return ps.executeUpdate() == 1;
        }
    }

    /** Records a renewed certificate if the agent is registered and not revoked. */
    static boolean addCertificate(Connection c, IssuedCertificate cert, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_certificates (serial, agent_id, issued_at, not_after)"
                + " SELECT ?, agent_id, ?, ? FROM agents WHERE agent_id = ? AND revoked_at IS NULL")) {
            ps.setBigDecimal(1, new BigDecimal(cert.serial()));
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setTimestamp(3, Timestamp.from(cert.notAfter()));
            ps.setString(4, cert.agentId());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Marks the agent and all its certificates revoked.
     *
     * @return whether there was an unrevoked agent
     */
    static boolean revoke(Connection c, String agentId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("WITH a AS ("
                + " UPDATE agents SET revoked_at = ? WHERE agent_id = ? AND revoked_at IS NULL RETURNING agent_id),"
                + " certs AS (UPDATE agent_certificates SET revoked_at = ?"
                + " WHERE agent_id IN (SELECT agent_id FROM a) AND revoked_at IS NULL RETURNING serial)"
                + " SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM certs)")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, agentId);
            ps.setTimestamp(3, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 1;
            }
        }
    }

    /**
     * Whether {@code serial} must be refused: revoked, its agent revoked, or not issued here at all
     * (fail closed).
     */
    static boolean isRevoked(Connection c, BigInteger serial) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT ac.revoked_at IS NOT NULL OR a.revoked_at IS NOT NULL"
                + " FROM agent_certificates ac JOIN agents a ON a.agent_id = ac.agent_id WHERE ac.serial = ?")) {
            ps.setBigDecimal(1, new BigDecimal(serial));
            try (ResultSet rs = ps.executeQuery()) {
                return !rs.next() || rs.getBoolean(1);
            }
        }
    }
}
