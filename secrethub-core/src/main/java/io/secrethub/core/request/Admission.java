package io.secrethub.core.request;

import io.secrethub.core.OverloadedException;
import io.secrethub.core.access.Operation;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How many calls run in the core at once, and who goes next when more arrive: first come, first served.
 *
 * <p>Without it, a burst of callers larger than the connection pool waits in HikariCP, which is not first come first
 * served: a thread that returns a connection and asks again at once takes it back ahead of threads already
 * waiting. At 1,000 callers on 40 connections that gave a few callers waits of 17-91 times the median. A fair
 * queue at the pool itself was tried and cost a third to a half of the throughput on 2 cores: each hand-off waits
 * for the woken thread to be scheduled while its connection idles. Here the queue is in front of the whole call,
 * with more places than connections, so the calls inside keep the pool busy while the next caller wakes up, and the
 * pool's barging stays among a bounded number of threads (docs/architecture.md, "Who waits at the pool").
 *
 * <p>A call gives its place up when it starts waiting for a group commit: its audit record, or an AppRole login's
 * batch ({@link #leave}). A call made from inside an admitted call (on the same thread) is not queued again.
 */
public final class Admission {

    private final int limit;
    /** Fair: a call never takes a place ahead of one already waiting. {@code null} when there is no limit. */
    private final Semaphore places;
    private final Duration maxWait;
    /** The running call's state on this thread: null outside a call; {@code [true]} while it holds its place. */
    private final ThreadLocal<boolean[]> inside = new ThreadLocal<>();

    /**
     * @param limit calls admitted at once; 0 admits every call at once (no queue)
     * @param maxWait the longest a call waits for a place before it is refused with {@link OverloadedException}
     */
    public Admission(int limit, Duration maxWait) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("maxWait must be positive, was " + maxWait);
        }
        this.limit = limit;
        this.places = limit == 0 ? null : new Semaphore(limit, true);
        this.maxWait = maxWait;
    }

    /** Calls waiting for a place now (an estimate, for monitoring). */
    public int queued() {
        return places == null ? 0 : places.getQueueLength();
    }

    /**
     * Runs {@code call} once it has a place: at once if fewer than the limit's calls are running and nobody is
     * waiting, else after every call that came before it.
     *
     * @throws OverloadedException if no place came free within the longest wait, or the thread was interrupted
     *     while waiting (its interrupt status is kept)
     */
    public <T> T run(Operation operation, Supplier<T> call) {
        if (places == null || inside.get() != null) {
            return call.get();
        }
        acquire(operation);
        boolean[] holding = {true};
        inside.set(holding);
        try {
            return call.get();
        } finally {
            inside.remove();
            if (holding[0]) {
                places.release();
            }
        }
    }

    /**
     * Gives up the place of the call running on this thread, if it still holds one; the call goes on without it.
     * A call does this when it starts waiting for a group commit that many calls share (its audit record, a
     * login's batch): holding its place through that wait would cap how many calls one commit can carry at the
     * number of places (measured: reads at 1,000 callers fell by half, logins at 100 callers on 30 places by a
     * quarter).
     */
    public void leave() {
        boolean[] holding = inside.get();
        if (holding != null && holding[0]) {
            holding[0] = false;
            places.release();
        }
    }

    private void acquire(Operation operation) {
        boolean admitted;
        try {
            admitted = places.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS); // fair: no barging past the queue
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OverloadedException("interrupted while waiting to run " + operation.auditName() + " (" + limit
                    + " calls running, " + places.getQueueLength() + " waiting)");
        }
        if (!admitted) {
            throw new OverloadedException(operation.auditName() + " waited " + maxWait.toMillis()
                    + " ms for one of the " + limit + " places for calls running at once (maxConcurrentRequests)"
                    + " and was refused; " + places.getQueueLength() + " calls are waiting");
        }
    }
}
