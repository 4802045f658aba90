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
     *
     * @param token a token with {@code read} and {@code sudo} on {@code sys/audit/verify}
     */
    AuditVerification verify(String token);

    /**
     * Records in sequence order.
     *
     * @param token a token with {@code read} and {@code sudo} on {@code sys/audit/records}
     * @param fromSequence the first sequence number wanted (records start at 1)
     * @param limit at most this many, 1 to 10 000
     */
    List<AuditRecord> records(String token, long fromSequence, int limit);

    /**
     * The HMAC under which records identify the holder of a token {@code accessor}, to search the log.
     *
     * @param token a token with {@code update} and {@code sudo} on {@code sys/audit-hash}, as in Vault
     */
    String hashAccessor(String token, String accessor);
}
