package io.secrethub.perf;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings a load test ran with, after configuration overrides and {@code perf.scale} were applied.
 *
 * @param agents concurrent agents
 * @param iterations measured invocations per agent (closed model) or arrivals per agent (open model), unless
 *     {@code duration} is set
 * @param duration how long the measured part runs; {@link Duration#ZERO} means "use iterations"
 * @param rate arrivals per second across all agents; {@code 0} for the closed model
 * @param warmupIterations warm-up invocations per agent
 * @param warmupDuration warm-up time per agent; {@link Duration#ZERO} when warm-up is counted in iterations; with
 *     {@code warmupUntilSteady}, the longest the warm-up may last
 * @param rampUp the time over which agent starts are spread; {@link Duration#ZERO} starts them together
 * @param timeout the bound on the whole method; {@link Duration#ZERO} means none
 * @param scale the {@code perf.scale} factor already applied to iterations, duration and timeout
 * @param seed the seed of the agents' {@link Agent#random()} generators
 * @param threads what the agents run on: {@link ThreadMode#VIRTUAL} or {@link ThreadMode#PLATFORM}, or
 *     {@link ThreadMode#AUTO} before the engine decided
 * @param warmupUntilSteady whether the warm-up lasts until the agents' throughput stops changing (at most
 *     {@code warmupDuration}) rather than for a fixed time or count
 */
public record LoadSettings(
        int agents,
        int iterations,
        Duration duration,
        double rate,
        int warmupIterations,
        Duration warmupDuration,
        Duration rampUp,
        Duration timeout,
        double scale,
        long seed,
        ThreadMode threads,
        boolean warmupUntilSteady) {

    /** Checks the invariants every producer of settings must keep. */
    public LoadSettings {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(warmupDuration, "warmupDuration");
        Objects.requireNonNull(rampUp, "rampUp");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(threads, "threads");
        if (agents < 1 || iterations < 1 || warmupIterations < 0 || !(rate >= 0) || Double.isInfinite(rate)
                || duration.isNegative() || warmupDuration.isNegative() || rampUp.isNegative()
                || timeout.isNegative() || !(scale > 0) || warmupUntilSteady && warmupDuration.isZero()) {
            // Fields are not assigned yet in a compact constructor, so the message lists the parameters.
            throw new IllegalArgumentException("inconsistent load settings: agents=" + agents + ", iterations="
                    + iterations + ", duration=" + duration + ", rate=" + rate + ", warmupIterations="
                    + warmupIterations + ", warmupDuration=" + warmupDuration + ", rampUp=" + rampUp + ", timeout="
                    + timeout + ", scale=" + scale + ", warmupUntilSteady=" + warmupUntilSteady);
        }
    }

    /** Settings with a fixed warm-up (a count or a time per agent), as before the steady warm-up existed. */
    public LoadSettings(int agents, int iterations, Duration duration, double rate, int warmupIterations,
            Duration warmupDuration, Duration rampUp, Duration timeout, double scale, long seed, ThreadMode threads) {
        this(agents, iterations, duration, rate, warmupIterations, warmupDuration, rampUp, timeout, scale, seed,
                threads, false);
    }

    /** Whether arrivals follow a schedule ({@code rate > 0}) rather than agents running back to back. */
    public boolean openModel() {
        return rate > 0;
    }

    /** Whether the measured part runs for {@link #duration()} rather than a number of iterations. */
    public boolean durationBased() {
        return !duration.isZero();
    }

    /** Whether the whole method is bounded by {@link #timeout()}. */
    public boolean hasTimeout() {
        return !timeout.isZero();
    }

    /** The same settings, running on {@code threads}. */
    public LoadSettings withThreads(ThreadMode threads) {
        return new LoadSettings(agents, iterations, duration, rate, warmupIterations, warmupDuration, rampUp,
                timeout, scale, seed, threads, warmupUntilSteady);
    }
}
