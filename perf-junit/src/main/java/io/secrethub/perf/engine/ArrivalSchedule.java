package io.secrethub.perf.engine;

import io.secrethub.perf.LoadSettings;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open model's arrivals: one every {@code 1/rate} seconds from the measured start, shared by all agents.
 * A free agent claims the next arrival, whether or not it is already due, so a backlog is worked off in order
 * and nothing is dropped.
 */
final class ArrivalSchedule {

    /** Returned by {@link #claim()} when the schedule is exhausted. */
    static final long NONE = -1;

    private final AtomicLong next = new AtomicLong();
    private final double periodNanos;
    private final long arrivals;
    private final long durationNanos;

    ArrivalSchedule(LoadSettings settings) {
        this.periodNanos = 1e9 / settings.rate();
        this.durationNanos = settings.durationBased() ? settings.duration().toNanos() : Long.MAX_VALUE;
        this.arrivals = settings.durationBased() ? Long.MAX_VALUE : (long) settings.agents() * settings.iterations();
    }

    /** The next arrival's intended start, in nanoseconds after the measured start, or {@link #NONE}. */
    long claim() {
        long index = next.getAndIncrement();
        if (index >= arrivals) {
            return NONE;
        }
        long offset = Math.round(index * periodNanos);
        return offset < durationNanos ? offset : NONE;
    }
}
