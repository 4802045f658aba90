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
import io.secrethub.core.audit.AuditTicket;
import io.secrethub.core.audit.AuditWriter;
import io.secrethub.core.keyring.CoreKeys;
import io.secrethub.core.keyring.KeySource;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
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

    /** Operations that go ahead when the audit log cannot take their record (see RequestContext). */
    private static final Set<Operation> BEST_EFFORT = EnumSet.of(Operation.SYS_SEAL, Operation.AUDIT_VERIFY,
            Operation.AUDIT_RECORDS);

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
    private final Admission admission;
    private final AccessorHmacs accessorHmacs = new AccessorHmacs();

    /** @param admission how many calls run at once, and in what order waiting ones go */
    public RequestPipeline(KeySource keys, AccessControl access, AuditWriter audit, Clock clock, String node,
            Admission admission) {
        this.keys = keys;
        this.access = access;
        this.audit = audit;
        this.clock = clock;
        this.node = node;
        this.admission = admission;
    }

    public AccessControl access() {
        return access;
    }

    /** @throws io.secrethub.core.SealedException if this instance is sealed (for the few calls that take no token) */
    public void requireUnsealed() {
        keys.current();
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
        return admission.run(operation, () -> executeAdmitted(operation, token, rawPath, validator, clientAddress,
                action));
    }

    private <T> T executeAdmitted(Operation operation, String token, String rawPath, UnaryOperator<String> validator,
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
     * Runs one operation on one path for many callers at once (a change pushed to its subscribers): each is
     * authenticated, authorized and audited as its own request, but the success records are submitted together
     * and then awaited, so they share audit batches instead of waiting one after another. Work shared by all
     * callers (loading, decrypting) is the action's to do once.
     *
     * @param clientAddresses one per token ({@code null} entries: unknown)
     * @param detail the audit detail of a success, from its result
     * @return per token, in order: the action's result, or {@code null} if that caller was refused (audited as
     *     such)
     * @throws AuditUnavailableException if a success record could not be made durable: then no result may be handed
     *     out, and the caller tries the whole call again later (refusals never depend on the audit log's health, so
     *     a {@code null} is always a refusal and a caller can tell "not allowed" from "not now")
     */
    public <T> List<T> executeEach(Operation operation, List<String> tokens, List<String> clientAddresses,
            String rawPath, UnaryOperator<String> validator, Action<T> action, Function<T, String> detail) {
        return admission.run(operation, () -> executeEachAdmitted(operation, tokens, clientAddresses, rawPath,
                validator, action, detail));
    }

    private <T> List<T> executeEachAdmitted(Operation operation, List<String> tokens, List<String> clientAddresses,
            String rawPath, UnaryOperator<String> validator, Action<T> action, Function<T, String> detail) {
        keys.current(); // sealed: refused as a whole, even with nobody to tell
        int n = tokens.size();
        List<T> results = new ArrayList<>(Collections.nCopies(n, null));
        AuditTicket[] tickets = new AuditTicket[n];
        RuntimeException unaudited = null;
        for (int i = 0; i < n; i++) {
            RequestContext context = newContext(operation, clientAddresses.get(i));
            try {
                Caller caller = access.authenticate(tokens.get(i));
                context.caller(caller);
                context.path(validator.apply(rawPath));
                access.authorize(caller, operation, context.path());
                T result = action.run(context);
                tickets[i] = context.submitSuccess(detail.apply(result));
                results.set(i, result);
            } catch (InvalidTokenException | PermissionDeniedException e) {
                recordFailure(context, e); // refused: audited, nothing told
            } catch (AuditUnavailableException | SealedException e) {
                unaudited = e; // nobody else can be audited either
                break;
            } catch (RuntimeException e) {
                // The shared work failed (storage, integrity): it fails for everyone, before any success is recorded.
                throw recordFailure(context, e);
            }
        }
        Duration timeout = audit.timeout();
        admission.leave(); // from here the call only waits for group commits
        for (int i = 0; i < n; i++) {
            if (tickets[i] == null) {
                continue;
            }
            try {
                tickets[i].await(timeout);
            } catch (RuntimeException e) {
                unaudited = unaudited == null ? e : unaudited;
            }
        }
        if (unaudited instanceof SealedException sealed) {
            throw sealed;
        }
        if (unaudited != null) {
            throw unaudited instanceof AuditUnavailableException u ? u : new AuditUnavailableException(
                    "audit log unavailable: " + operation + " was not delivered to anyone", unaudited);
        }
        return results;
    }

    /**
     * Runs a call that presents no token (AppRole login, for instance): it is audited the same way,
     * with no accessor. The action authenticates the caller its own way.
     */
    public <T> T executeUnauthenticated(Operation operation, String path, String clientAddress, Action<T> action) {
        return admission.run(operation, () -> {
            RequestContext context = newContext(operation, clientAddress);
            context.path(path);
            try {
                return finish(context, action);
            } catch (RuntimeException e) {
                throw recordFailure(context, e);
            }
        });
    }

    private RequestContext newContext(Operation operation, String clientAddress) {
        CoreKeys current = keys.current();
        if (!BEST_EFFORT.contains(operation)) {
            audit.checkAccepting(); // a call that could not be audited is refused before it does any work
        }
        String address = clientAddress != null ? clientAddress : ClientAddress.current();
        return new RequestContext(randomId(), clock.instant(), operation, address, current, audit, node,
                accessorHmacs, admission);
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
            // Handed to the writer, which retries it until it lands: the caller must not wait for a database that
            // may be down (the likely reason its commit failed), and the log must not keep the success.
            try {
                context.correct(failure.getClass().getSimpleName());
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
