package io.secrethub.core.request;

import io.secrethub.core.AuditOutcome;
import io.secrethub.core.access.Caller;
import io.secrethub.core.access.Operation;
import io.secrethub.core.audit.AuditEntry;
import io.secrethub.core.audit.AuditTicket;
import io.secrethub.core.audit.AuditWriter;
import io.secrethub.core.keyring.CoreKeys;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call in flight: who made it, on what, with which keys, and whether its success is already
 * on record.
 *
 * <p>An operation calls {@link #auditSuccess(String)} at the point where it is about to hand out a
 * result it cannot take back: a read after decrypting and before returning, a write inside its
 * transaction before committing. If it does not, the pipeline audits when it returns.
 */
public final class RequestContext {

    private static final Logger LOG = LoggerFactory.getLogger(RequestContext.class);

    private final UUID requestId;
    private final Instant time;
    private final Operation operation;
    private final String clientAddress;
    private final CoreKeys keys;
    private final AuditWriter audit;
    private final String node;
    private final AccessorHmacs accessorHmacs;
    private final Admission admission;
    private Caller caller;
    private String path;
    private boolean successRecorded;

    RequestContext(UUID requestId, Instant time, Operation operation, String clientAddress, CoreKeys keys,
            AuditWriter audit, String node, AccessorHmacs accessorHmacs, Admission admission) {
        this.requestId = requestId;
        this.time = time;
        this.operation = operation;
        this.clientAddress = clientAddress;
        this.keys = keys;
        this.audit = audit;
        this.node = node;
        this.accessorHmacs = accessorHmacs;
        this.admission = admission;
    }

    public UUID requestId() {
        return requestId;
    }

    /** The validated path the call concerns, or {@code null}. */
    public String path() {
        return path;
    }

    /** The authenticated caller, or {@code null} for unauthenticated calls (login). */
    public Caller caller() {
        return caller;
    }

    /**
     * Gives this call's place in the request queue ({@code SecretHubBuilder.maxConcurrentRequests}) up: from here it
     * only waits for a group commit that holds no connection for it and serves more callers the more are waiting
     * (its audit record's batch, an AppRole login's batch).
     */
    public void leaveQueue() {
        admission.leave();
    }

    /** The keys of the unsealed instance this call runs with. */
    public CoreKeys keys() {
        return keys;
    }

    public Instant time() {
        return time;
    }

    /**
     * Records the call's success and waits until the record is durable.
     *
     * @param detail non-secret facts about the outcome (e.g. {@code version=3}), or {@code null}
     * @throws io.secrethub.core.AuditUnavailableException if it cannot be made durable: the caller must
     *     then not hand out its result (roll back, return nothing)
     */
    public void auditSuccess(String detail) {
        if (successRecorded) {
            throw new IllegalStateException("success of request " + requestId + " already audited");
        }
        append(AuditOutcome.SUCCESS, null, detail);
        successRecorded = true;
    }

    /**
     * Records the call's success if the audit log can take it, and otherwise only logs why not; either way
     * nothing more is appended for this call. For the one operation that must go ahead regardless and after
     * which no key is left to append with: sealing.
     */
    public void auditSuccessBestEffort(String detail) {
        try {
            auditSuccess(detail);
        } catch (RuntimeException e) {
            LOG.warn("could not audit {} (request {}); going ahead", operation.auditName(), requestId, e);
            successRecorded = true;
        }
    }

    /**
     * Submits the call's success record without waiting: the caller awaits the ticket before handing out the
     * result (so records of many calls share audit batches).
     */
    AuditTicket submitSuccess(String detail) {
        if (successRecorded) {
            throw new IllegalStateException("success of request " + requestId + " already audited");
        }
        AuditTicket ticket = audit.submit(entry(AuditOutcome.SUCCESS, null, detail), keys.system().auditChain());
        successRecorded = true;
        return ticket;
    }

    boolean successRecorded() {
        return successRecorded;
    }

    void caller(Caller caller) {
        this.caller = caller;
    }

    void path(String path) {
        this.path = path;
    }

    /** Queues the correction of this call's recorded success: it failed after all. */
    void correct(String error) {
        audit.correct(entry(AuditOutcome.ERROR, error, AuditWriter.CORRECTION), keys.system().auditChain());
    }

    private AuditEntry entry(AuditOutcome outcome, String error, String detail) {
        String accessorHmac = caller == null ? null
                : accessorHmacs.of(keys.system().auditAccessor(), caller.accessor());
        return new AuditEntry(time, node, requestId, operation.auditName(), path, accessorHmac,
                clientAddress, outcome, error, detail);
    }

    void append(AuditOutcome outcome, String error, String detail) {
        AuditEntry entry = entry(outcome, error, detail);
        leaveQueue(); // from here the call only waits for a group commit
        audit.append(entry, keys.system().auditChain());
    }
}
