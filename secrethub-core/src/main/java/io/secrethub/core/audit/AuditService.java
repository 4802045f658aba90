package io.secrethub.core.audit;

import io.secrethub.core.Audit;
import io.secrethub.core.AuditRecord;
import io.secrethub.core.AuditVerification;
import io.secrethub.core.InvalidRequestException;
import io.secrethub.core.access.Operation;
import io.secrethub.core.crypto.Hmacs;
import io.secrethub.core.crypto.KeyMaterial;
import io.secrethub.core.request.RequestPipeline;
import io.secrethub.core.storage.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code hub.audit()}: verification and reading of the log. Needs the instance unsealed (the chain key) and,
 * as Vault's {@code sys/audit…} endpoints do, a token with {@code sudo}: the log names who did what.
 * Denials are audited like any other; the success of a verification or read is recorded after it, best
 * effort, so that a log whose head cannot take a record (the moment it matters) can still be inspected.
 */
public final class AuditService implements Audit {

    /** The form of accessor HMACs in records, self-describing like Vault's. */
    public static final String HMAC_PREFIX = "hmac-sha256:";

    private final Database database;
    private final RequestPipeline pipeline;
    private final AuditWriter writer;
    private final AuditVerifier verifier;

    public AuditService(Database database, RequestPipeline pipeline, AuditWriter writer) {
        this.database = database;
        this.pipeline = pipeline;
        this.writer = writer;
        this.verifier = new AuditVerifier(database);
    }

    @Override
    public AuditVerification verify(String token) {
        return pipeline.execute(Operation.AUDIT_VERIFY, token, null, RequestPipeline.NO_PATH, null, ctx -> {
            AuditVerification result = verifier.verify(ctx.keys().system().auditChain(), writer.highestSequence(),
                    writer.auditFile());
            ctx.auditSuccessBestEffort(null); // a damaged log must still be inspectable: the report holds no secret
            return result;
        });
    }

    @Override
    public List<AuditRecord> records(String token, long fromSequence, int limit) {
        return pipeline.execute(Operation.AUDIT_RECORDS, token, null, RequestPipeline.NO_PATH, null, ctx -> {
            if (limit < 1 || limit > 10_000) {
                throw new InvalidRequestException("limit must be between 1 and 10000, was " + limit);
            }
            List<AuditRecord> records = read(fromSequence, limit);
            ctx.auditSuccessBestEffort(null); // records are already durable facts, and a damaged log must stay readable
            return records;
        });
    }

    @Override
    public String hashAccessor(String token, String accessor) {
        return pipeline.execute(Operation.AUDIT_HASH, token, null, RequestPipeline.NO_PATH, null, ctx -> {
            if (accessor == null || accessor.isEmpty()) {
                throw new InvalidRequestException("accessor is required");
            }
            return hashAccessor(ctx.keys().system().auditAccessor(), accessor);
        });
    }

    /** The audit form of an accessor under {@code key}. */
    public static String hashAccessor(KeyMaterial key, String accessor) {
        return HMAC_PREFIX + Hmacs.hmacHex(key, accessor);
    }

    private List<AuditRecord> read(long fromSequence, int limit) {
        return database.autocommit("read the audit log", c -> {
            try (PreparedStatement ps = c.prepareStatement(AuditStore.SELECT
                    + " WHERE seq >= ? ORDER BY seq LIMIT ?")) {
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
}
