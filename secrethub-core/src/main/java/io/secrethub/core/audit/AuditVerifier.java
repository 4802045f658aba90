package io.secrethub.core.audit;

import io.secrethub.core.AuditRecord;
import io.secrethub.core.AuditVerification;
import io.secrethub.core.AuditVerification.Problem;
import io.secrethub.core.crypto.Hmacs;
import io.secrethub.core.crypto.KeyMaterial;
import io.secrethub.core.storage.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import javax.crypto.Mac;

/**
 * Walks the chain from genesis to the head in one consistent snapshot and names the first record
 * that is wrong:
 * <ul>
 * <li>a gap in the sequence → that record was <em>deleted</em>;
 * <li>a record whose hash does not follow from its predecessor and content → <em>edited</em>, unless the
 *     record after it would fit at its position: then the two were <em>reordered</em> (the current record
 *     fits after it) or the current one was <em>inserted</em> (and the rest renumbered);
 * <li>a row beyond the head → <em>inserted</em>; a head beyond the last row → records <em>deleted</em> from the end;
 * <li>a head behind what this instance itself committed → the tail was cut and the head rolled back;
 * <li>with a file audit device: a record whose hash differs from the one the file recorded for its sequence number
 *     → <em>edited</em>; a file line or checkpoint for a sequence number beyond the end of the log → records
 *     <em>deleted</em> from the end and the head rolled back (found by any instance that reads the file, also after
 *     a restart); a file line that breaks the file's own chain → the file was <em>edited</em>.
 * </ul>
 * A consistent rewrite of the whole chain needs the chain key, which exists only in unsealed memory.
 */
public final class AuditVerifier {

    private static final int FETCH_SIZE = 1000;

    private final Database database;

    public AuditVerifier(Database database) {
        this.database = database;
    }

    /**
     * @param highestWritten the highest sequence this instance knows was committed (0 if none)
     */
    public AuditVerification verify(KeyMaterial chainKey, long highestWritten) {
        return verify(chainKey, highestWritten, null);
    }

    /**
     * @param auditFile the file audit device's file to cross-check the database chain against, or null
     */
    public AuditVerification verify(KeyMaterial chainKey, long highestWritten, Path auditFile) {
        NavigableMap<Long, AuditFileDevice.Claim> claims = new TreeMap<>();
        if (auditFile != null && Files.exists(auditFile)) {
            AuditFileDevice.Contents contents;
            try {
                contents = AuditFileDevice.read(auditFile, chainKey);
            } catch (IOException | RuntimeException e) {
                return AuditVerification.broken(0, 0, Problem.EDITED, "the audit file " + auditFile
                        + " cannot be read as a SecretHub audit file: " + e.getMessage());
            }
            if (contents.problem() != null) {
                long after = contents.claims().isEmpty() ? 0 : contents.claims().get(contents.claims().size() - 1)
                        .sequence();
                return AuditVerification.broken(0, after + 1, Problem.EDITED, contents.problem());
            }
            for (AuditFileDevice.Claim claim : contents.claims()) {
                AuditFileDevice.Claim earlier = claims.put(claim.sequence(), claim);
                if (earlier != null && !Hmacs.equal(earlier.hash(), claim.hash())) {
                    // One instance's records only ever move forward: the chain was cut back under the file.
                    return AuditVerification.broken(0, claim.sequence(), Problem.DELETED, "the audit file recorded"
                            + " record " + claim.sequence() + " twice with different hashes (lines "
                            + earlier.lineNumber() + " and " + claim.lineNumber() + "): the log's newest records were"
                            + " deleted, its head rolled back, and new records written in their place");
                }
            }
        }
        return database.transaction("verify the audit log", c -> {
            try (var s = c.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
            }
            return walk(c, chainKey, highestWritten, claims);
        });
    }

    private AuditVerification walk(Connection c, KeyMaterial key, long highestWritten,
            NavigableMap<Long, AuditFileDevice.Claim> claims) throws SQLException {
        AuditStore.Head head = AuditStore.readHead(c);
        Mac mac = key.mac(); // keyed once for the walk, as the writer keys one per batch
        long expected = 1;
        long checked = 0;
        byte[] previous = AuditChain.GENESIS;
        try (PreparedStatement ps = c.prepareStatement(AuditStore.SELECT + " ORDER BY seq")) {
            ps.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = ps.executeQuery()) {
                AuditRecord current = rs.next() ? AuditStore.record(rs) : null;
                while (current != null) {
                    checked++;
                    long seq = current.sequence();
                    if (seq > head.sequence()) {
                        return AuditVerification.broken(checked, seq, Problem.INSERTED, "audit record " + seq
                                + " lies beyond the chain head (" + head.sequence() + "): it was inserted");
                    }
                    if (seq != expected) {
                        return AuditVerification.broken(checked, expected, Problem.DELETED, seq == expected + 1
                                ? "audit record " + expected + " is missing (deleted)"
                                : "audit records " + expected + " to " + (seq - 1) + " are missing (deleted)");
                    }
                    if (!fits(mac, previous, seq, current)) {
                        AuditRecord next = rs.next() ? AuditStore.record(rs) : null;
                        if (next != null && next.sequence() == seq + 1 && fits(mac, previous, seq, next)) {
                            if (fits(mac, next.hash(), seq + 1, current)) {
                                return AuditVerification.broken(checked, seq, Problem.REORDERED, "audit records " + seq
                                        + " and " + (seq + 1) + " are out of order (swapped)");
                            }
                            return AuditVerification.broken(checked, seq, Problem.INSERTED, "audit record " + seq
                                    + " was inserted: the record after it belongs at its position");
                        }
                        return AuditVerification.broken(checked, seq, Problem.EDITED, "audit record " + seq
                                + " does not match its hash: it was edited (or records before it were removed and "
                                        + "renumbered)");
                    }
                    AuditFileDevice.Claim claim = claims.get(seq);
                    if (claim != null && !Hmacs.equal(claim.hash(), current.hash())) {
                        return AuditVerification.broken(checked, seq, Problem.EDITED, "audit record " + seq
                                + " is not the record the audit file recorded at line " + claim.lineNumber()
                                + ": the log was rewritten from there");
                    }
                    previous = current.hash();
                    expected++;
                    current = rs.next() ? AuditStore.record(rs) : null;
                }
            }
        }
        AuditVerification result = checkHead(head, checked, expected - 1, previous, highestWritten);
        if (!result.intact()) {
            return result;
        }
        Map.Entry<Long, AuditFileDevice.Claim> beyond = claims.lastEntry();
        if (beyond != null && beyond.getKey() > expected - 1) {
            AuditFileDevice.Claim claim = beyond.getValue();
            return AuditVerification.broken(checked, expected, Problem.DELETED, "the audit file recorded that the log"
                    + " reached record " + claim.sequence() + " (line " + claim.lineNumber() + ", " + claim.time()
                    + ", node " + claim.node() + ") but the log ends at " + (expected - 1)
                    + ": its newest records were deleted and the head rolled back");
        }
        return result;
    }

    private static AuditVerification checkHead(AuditStore.Head head, long checked, long last, byte[] lastHash,
            long highestWritten) {
        if (head.sequence() > last) {
            return AuditVerification.broken(checked, last + 1, Problem.DELETED, "audit records " + (last + 1) + " to "
                    + head.sequence() + " are missing (deleted from the end of the log)");
        }
        if (!Hmacs.equal(head.hash(), lastHash)) {
            return AuditVerification.broken(checked, last, Problem.EDITED, "the chain head does not match audit record "
                    + last + ": the record or the head was edited");
        }
        if (highestWritten > head.sequence()) {
            return AuditVerification.broken(checked, head.sequence() + 1, Problem.DELETED,
                    "this instance wrote audit records up to "
                    + highestWritten + " but the log ends at " + head.sequence() + ": the end of the log was removed");
        }
        return AuditVerification.ok(checked);
    }

    /** Whether {@code record}'s content, placed at {@code sequence} after {@code previous}, yields its stored hash. */
    private static boolean fits(Mac mac, byte[] previous, long sequence, AuditRecord record) {
        AuditEntry entry = AuditStore.entryOf(record);
        return entry != null && Hmacs.equal(AuditChain.link(mac, previous, sequence, entry), record.hash());
    }
}
