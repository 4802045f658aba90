package io.secrethub.core;

import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * One entry of the audit log, as stored. It never holds secret values, tokens or secret ids; the
 * caller is identified by an HMAC of its token accessor (see {@code audit().hashAccessor(…)}).
 *
 * @param sequence position in the hash chain, from 1, gapless across all instances
 * @param time when the call was made (microsecond precision)
 * @param node the instance that served the call
 * @param requestId the call's unique id
 * @param operation what was called, e.g. {@code secrets.read}
 * @param path the path the call concerned, or {@code null}
 * @param accessorHmac the HMAC of the caller's token accessor, or {@code null} when there was no valid token
 * @param clientAddress the caller's network address where known, or {@code null}
 * @param outcome how the call ended
 * @param error the error type when it did not succeed, or {@code null}
 * @param detail non-secret facts about the outcome, e.g. {@code version=3}, or {@code null}
 * @param hash the chain hash covering this record and every record before it
 */
public record AuditRecord(long sequence, Instant time, String node, UUID requestId, String operation,
        String path, String accessorHmac, String clientAddress, AuditOutcome outcome, String error,
        String detail, byte[] hash) {

    public AuditRecord {
        hash = hash.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AuditRecord that && sequence == that.sequence
                && Arrays.equals(hash, that.hash);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence);
    }

    @Override
    public String toString() {
        return "AuditRecord[" + sequence + " " + time + " " + node + " " + operation + " " + path + " "
                + outcome + (error == null ? "" : " " + error) + (detail == null ? "" : " " + detail) + "]";
    }
}
