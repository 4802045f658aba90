package io.secrethub.core.request;

import io.secrethub.core.AuditOutcome;
import io.secrethub.core.AuditUnavailableException;
import io.secrethub.core.ClientAddress;
import io.secrethub.core.InvalidTokenException;
import io.secrethub.core.PermissionDeniedException;
import io.secrethub.core.SealedException;
import io.secrethub.core.access.AccessControl;
import io.secrethub.core.access.Caller;
import io.secrethub.core.access.Operation;
import io.secrethub.core.audit.AuditWriter;
import io.secrethub.core.keyring.CoreKeys;
import io.secrethub.core.keyring.KeySource;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every API call the same way:
 * <ol>
 * <li>sealed? → {@link SealedException} (not audited: without keys there is no audit chain);
 * <li>authenticate the token → {@link InvalidTokenException};
 * <li>validate the path (after authentication, so unauthenticated callers learn nothing about it);
 * <li>authorize → {@link PermissionDeniedException};
 * <li>run the operation, which audits its success before handing out its result;
 * <li>audit denials and errors too, before throwing them.
 * </ol>
 * If the success record was written but the operation then failed (its commit failed), a second
 * record with the same request id says so, so the log never claims a write that did not happen
 * without correcting itself.
 */
public final class RequestPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(RequestPipeline.class);

    /** For operations without a path. */
    public static final UnaryOperator<String> NO_PATH = path -> null;

    /** The operation proper. */
    @FunctionalInterface
    public interface Action<T> {
        T run(RequestContext context);
    }

    private final KeySource keys;
    private final AccessControl access;
    private final AuditWriter audit;
    private final Clock clock;
    private final String node;

    public RequestPipeline(KeySource keys, AccessControl access, AuditWriter audit, Clock clock, String node) {
        this.keys = keys;
        this.access = access;
        this.audit = audit;
        this.clock = clock;
        this.node = node;
    }

    public AccessControl access() {
        return access;
    }

    /**
     * Runs an authenticated call.
     *
     * @param rawPath the path as given by the caller (validated by {@code validator})
     * @param validator returns the canonical path or throws {@link io.secrethub.core.InvalidRequestException}
     * @param clientAddress the caller's address if known, else {@code null}
     */
    public <T> T execute(Operation operation, String token, String rawPath, UnaryOperator<String> validator,
            String clientAddress, Action<T> action) {
        RequestContext context = newContext(operation, clientAddress);
        try {
            Caller caller = access.authenticate(token);
            context.caller(caller);
            context.path(validator.apply(rawPath));
            access.authorize(caller, operation, context.path());
            return finish(context, action);
        } catch (RuntimeException e) {
            throw recordFailure(context, e);
        }
    }

    /**
     * Runs a call that presents no token (AppRole login, for instance): it is audited the same way,
     * with no accessor. The action authenticates the caller its own way.
     */
    public <T> T executeUnauthenticated(Operation operation, String path, String clientAddress, Action<T> action) {
        RequestContext context = newContext(operation, clientAddress);
        context.path(path);
        try {
            return finish(context, action);
        } catch (RuntimeException e) {
            throw recordFailure(context, e);
        }
    }

    private RequestContext newContext(Operation operation, String clientAddress) {
        CoreKeys current = keys.current();
        String address = clientAddress != null ? clientAddress : ClientAddress.current();
        return new RequestContext(randomId(), clock.instant(), operation, address, current, audit, node);
    }

    private static <T> T finish(RequestContext context, Action<T> action) {
        T result = action.run(context);
        if (!context.successRecorded()) {
            context.auditSuccess(null);
        }
        return result;
    }

    /** Audits {@code failure} (or corrects an already-audited success) and returns what to throw. */
    private RuntimeException recordFailure(RequestContext context, RuntimeException failure) {
        if (context.successRecorded()) {
            try {
                context.append(AuditOutcome.ERROR, failure.getClass().getSimpleName(),
                        "not completed after its success was recorded");
            } catch (RuntimeException e) {
                LOG.error("could not correct the audit record of request {}: it failed after its success was recorded",
                        context.requestId(), e);
            }
            return failure;
        }
        if (failure instanceof AuditUnavailableException || failure instanceof SealedException) {
            return failure; // the audit log cannot take this record either
        }
        AuditOutcome outcome = failure instanceof InvalidTokenException || failure instanceof PermissionDeniedException
                ? AuditOutcome.DENIED : AuditOutcome.ERROR;
        try {
            context.append(outcome, failure.getClass().getSimpleName(), null);
        } catch (AuditUnavailableException | SealedException e) {
            e.addSuppressed(failure);
            return e;
        }
        return failure;
    }

    /** A random (version 4) UUID without contending on the shared SecureRandom: request ids are not secrets. */
    private static UUID randomId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }
}
