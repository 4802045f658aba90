package io.secrethub.core.audit;

import io.secrethub.core.Audit;
import io.secrethub.core.AuditRecord;
import io.secrethub.core.AuditVerification;
import io.secrethub.core.InvalidRequestException;
import io.secrethub.core.crypto.Hmacs;
import io.secrethub.core.crypto.KeyMaterial;
import io.secrethub.core.keyring.KeySource;
import io.secrethub.core.storage.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** {@code hub.audit()}: verification and reading of the log. Needs the instance unsealed (the chain key). */
public final class AuditService implements Audit {

    /** The form of accessor HMACs in records, self-describing like Vault's. */
    public static final String HMAC_PREFIX = "hmac-sha256:";

    private final Database database;
    private final KeySource keys;
    private final AuditWriter writer;
    private final AuditVerifier verifier;

    public AuditService(Database database, KeySource keys, AuditWriter writer) {
        this.database = database;
        this.keys = keys;
        this.writer = writer;
        this.verifier = new AuditVerifier(database);
    }

    @Override
    public AuditVerification verify() {
        return verifier.verify(keys.current().system().auditChain(), writer.highestSequence());
    }

    @Override
    public List<AuditRecord> records(long fromSequence, int limit) {
        keys.current();
        if (limit < 1 || limit > 10_000) {
            throw new InvalidRequestException("limit must be between 1 and 10000, was " + limit);
        }
        return database.autocommit("read the audit log", c -> {
            try (PreparedStatement ps = c.prepareStatement(AuditStore.SELECT + " WHERE seq >= ? ORDER BY seq LIMIT ?")) {
                ps.setLong(1, fromSequence);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<AuditRecord> records = new ArrayList<>();
                    while (rs.next()) {
                        records.add(AuditStore.record(rs));
                    }
                    return records;
                }
            }
        });
    }

    @Override
    public String hashAccessor(String accessor) {
        if (accessor == null || accessor.isEmpty()) {
            throw new InvalidRequestException("accessor is required");
        }
        return hashAccessor(keys.current().system().auditAccessor(), accessor);
    }

    /** The audit form of an accessor under {@code key}. */
    public static String hashAccessor(KeyMaterial key, String accessor) {
        return HMAC_PREFIX + Hmacs.hmacHex(key, accessor);
    }
}
