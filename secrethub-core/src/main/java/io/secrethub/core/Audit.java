package io.secrethub.core;

import java.util.List;

/**
 * The tamper-evident audit log ({@code hub.audit()}). Records are hash-chained across every instance
 * sharing the database; the chain is keyed with a key from the keyring, so nobody with only database
 * access can rewrite it consistently.
 */
public interface Audit {

    /**
     * Re-computes the chain from the first record to the head and reports the first record that was
     * edited, deleted, inserted or reordered.
     */
    AuditVerification verify();

    /**
     * Records in sequence order.
     *
     * @param fromSequence the first sequence number wanted (records start at 1)
     * @param limit at most this many, 1 to 10 000
     */
    List<AuditRecord> records(long fromSequence, int limit);

    /** The HMAC under which records identify the holder of a token {@code accessor}, to search the log. */
    String hashAccessor(String accessor);
}
