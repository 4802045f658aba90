package io.secrethub.perf.engine;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** What the coordinator and the agents of one run share: the start barrier, the stop flag, the first abort. */
final class RunControl {

    /** Counted down by each agent once its set-up and warm-up are done (or failed). */
    final CountDownLatch ready;
    /** The barrier behind which every agent waits for the measured start. */
    final CountDownLatch go = new CountDownLatch(1);
    /** Counted down by each agent when it has finished. */
    final CountDownLatch done;

    /** Set to end the run early: timeout, abort, or interruption. Agents check it between invocations. */
    volatile boolean stopped;
    /** {@code System.nanoTime()} at the measured start; published to the agents by {@link #go}. */
    volatile long startNanos;

    private final AtomicReference<Throwable> abortCause = new AtomicReference<>();

    RunControl(int agents) {
        this.ready = new CountDownLatch(agents);
        this.done = new CountDownLatch(agents);
    }

    /**
     * Stops the run because of {@code cause}; the first cause wins. Once the run is stopped (by a timeout, say),
     * later failures are consequences of the stop, not causes.
     */
    void abort(Throwable cause) {
        if (!stopped) {
            abortCause.compareAndSet(null, cause);
        }
        stopped = true;
    }

    /** What aborted the run, or {@code null}. */
    Throwable abortCause() {
        return abortCause.get();
    }
}
