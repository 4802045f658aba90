package io.secrethub.core;

import java.util.OptionalLong;

/**
 * The result of checking the audit log's hash chain from its first record to its head.
 *
 * @param intact whether every record is present, unedited and in order
 * @param recordsChecked how many records were read
 * @param firstInvalidSequence the sequence number of the first record found wrong or missing
 * @param problem what is wrong there ({@link Problem#NONE} when intact)
 * @param message a sentence for people: which record and what happened to it
 */
public record AuditVerification(boolean intact, long recordsChecked, OptionalLong firstInvalidSequence,
        Problem problem, String message) {

    /** What verification found at the first bad record. */
    public enum Problem {
        /** Nothing: the chain is intact. */
        NONE,
        /** A record's content no longer matches its hash. */
        EDITED,
        /** A record is missing from the middle or the end of the chain. */
        DELETED,
        /** A record that the chain does not account for was added. */
        INSERTED,
        /** Records are present and unedited but not in the order they were written. */
        REORDERED
    }

    /** A broken chain at {@code sequence}. */
    public static AuditVerification broken(long checked, long sequence, Problem problem, String message) {
        return new AuditVerification(false, checked, OptionalLong.of(sequence), problem, message);
    }

    /** An intact chain of {@code checked} records. */
    public static AuditVerification ok(long checked) {
        return new AuditVerification(true, checked, OptionalLong.empty(), Problem.NONE,
                "audit log intact: " + checked + " records");
    }
}
