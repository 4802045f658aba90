package io.secrethub.perf.engine;

import io.secrethub.perf.WarmupOutcome;
import io.secrethub.perf.slo.MeasuredScope;
import java.time.Instant;

/**
 * How a run went, apart from what was recorded.
 *
 * @param startedAt wall-clock time of the measured start, or {@code null} if it never started
 * @param startNanos {@code System.nanoTime()} at the measured start
 * @param endNanos when the last agent finished its measured loop (or when the run was stopped)
 * @param timedOut whether the timeout stopped the run
 * @param abortCause what aborted the run (a failing {@code @BeforeAgent}, a misuse), or {@code null}
 * @param maxLagNanos in the open model, the longest an arrival waited past its intended start
 * @param agentsStillRunning agents that had not stopped when the coordinator gave up waiting for them
 * @param allocatedBytes heap bytes the agents' threads allocated in their measured loops;
 *     {@link AllocationCounter#UNAVAILABLE} when a thread kept no count or the run was stopped
 * @param gcPauses the stop-the-world GC pauses of the measured part
 * @param processCpuNanos the JVM's CPU time over the measured part, or {@code CpuCounter.UNAVAILABLE}
 * @param agentCpuNanos the agents' threads' CPU time in their measured loops, or {@code CpuCounter.UNAVAILABLE}
 * @param statements SQL statements through {@code @PostgresDatabase}'s pools over the measured part, or
 *     {@code StatementCounter.UNAVAILABLE}
 * @param warmup how a steady warm-up ended; {@link WarmupOutcome#FIXED} for a fixed one
 */
record RunOutcome(
        Instant startedAt,
        long startNanos,
        long endNanos,
        boolean timedOut,
        Throwable abortCause,
        long maxLagNanos,
        long agentsStillRunning,
        long allocatedBytes,
        MeasuredScope.GcFigures gcPauses,
        long processCpuNanos,
        long agentCpuNanos,
        long statements,
        WarmupOutcome warmup) {

    /** Whether the agents got past the start barrier. */
    boolean measuredPartStarted() {
        return startedAt != null;
    }

    long wallNanos() {
        return Math.max(0, endNanos - startNanos);
    }
}
