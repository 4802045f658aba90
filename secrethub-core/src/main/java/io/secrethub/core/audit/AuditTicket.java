package io.secrethub.core.audit;

import io.secrethub.core.AuditUnavailableException;
import io.secrethub.core.SecretHubException;
import io.secrethub.core.crypto.KeyMaterial;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A record waiting for the group-commit writer, and the caller's handle to wait for its durability.
 *
 * <p>A caller that gives up waiting cancels the ticket if the writer has not claimed it yet, so a
 * record is never written after its caller was told the call failed. Once claimed, the batch's
 * outcome is only moments away (its statements carry a timeout), so the caller waits for it.
 */
public final class AuditTicket {

    private static final int QUEUED = 0;
    private static final int CLAIMED = 1;
    private static final int CANCELLED = 2;

    final AuditEntry entry;
    final KeyMaterial chainKey;
    private final boolean correction;
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private final CompletableFuture<Long> done = new CompletableFuture<>();

    AuditTicket(AuditEntry entry, KeyMaterial chainKey) {
        this(entry, chainKey, false);
    }

    private AuditTicket(AuditEntry entry, KeyMaterial chainKey, boolean correction) {
        this.entry = entry;
        this.chainKey = chainKey;
        this.correction = correction;
        if (correction) {
            state.set(CLAIMED); // nobody waits for it, so nobody may cancel it
        }
    }

    /** A correction: written no matter how long it takes, never cancelled. */
    static AuditTicket correction(AuditEntry entry, KeyMaterial chainKey) {
        return new AuditTicket(entry, chainKey, true);
    }

    boolean isCorrection() {
        return correction;
    }

    /** The writer takes the ticket into a batch; false if its caller already gave up. */
    boolean claim() {
        return state.compareAndSet(QUEUED, CLAIMED);
    }

    void written(long sequence) {
        done.complete(sequence);
    }

    void failed(RuntimeException failure) {
        done.completeExceptionally(failure);
    }

    /**
     * Waits until the record is durable.
     *
     * @return its sequence number
     * @throws AuditUnavailableException if it could not be written (or not in time)
     */
    public long await(Duration timeout) {
        try {
            try {
                return done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (state.compareAndSet(QUEUED, CANCELLED)) {
                    throw new AuditUnavailableException("audit log unavailable: the record was not written within "
                            + timeout.toMillis() + " ms");
                }
                return done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException e) {
            throw new AuditUnavailableException("audit log unavailable: the record's batch did not complete within "
                    + 2 * timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.compareAndSet(QUEUED, CANCELLED);
            throw new AuditUnavailableException("interrupted while waiting for the audit log");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AuditUnavailableException a) {
                // Re-thrown from the caller's thread, so its stack trace shows the call that failed.
                throw new AuditUnavailableException(a.getMessage(), a);
            }
            if (cause instanceof SecretHubException s) {
                throw s;
            }
            throw new AuditUnavailableException("audit log unavailable: " + cause, cause);
        }
    }
}
