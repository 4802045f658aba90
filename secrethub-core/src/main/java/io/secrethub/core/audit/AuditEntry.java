package io.secrethub.core.audit;

import io.secrethub.core.AuditOutcome;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * One record to append (before it has a sequence number and hash). Holds no secret material by
 * construction: the caller appears only as an HMAC of its accessor.
 *
 * @param time when the call was made; truncated to microseconds, PostgreSQL's precision, so the
 *     stored record hashes the same as the appended one
 */
public record AuditEntry(Instant time, String node, UUID requestId, String operation, String path,
        String accessorHmac, String clientAddress, AuditOutcome outcome, String error, String detail) {

    public AuditEntry {
        time = time.truncatedTo(ChronoUnit.MICROS);
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(outcome, "outcome");
    }
}
