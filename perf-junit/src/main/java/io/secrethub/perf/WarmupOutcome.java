package io.secrethub.perf;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How a {@code warmup = "steady"} warm-up ended: steady, or at its limit without being steady.
 *
 * @param untilSteady whether the warm-up was one that waits for a steady throughput; if not, the other fields are
 *     empty
 * @param steady whether the throughput stopped changing before the limit
 * @param duration how long the warm-up lasted, from the moment every agent was warming up
 * @param detail the last windows' throughput, e.g. {@code 7,120/s over the last 3 s, 7,050/s over the 3 before}
 */
public record WarmupOutcome(boolean untilSteady, boolean steady, Duration duration, String detail) {

    /** A fixed warm-up (a count or a time), or a result read from a file written before steady warm-ups. */
    public static final WarmupOutcome FIXED = new WarmupOutcome(false, false, Duration.ZERO, "");

    /** Checks the fields. */
    public WarmupOutcome {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(detail, "detail");
    }

    /** E.g. {@code steady after 9 s (…)} or {@code not steady after 60 s (…); measured anyway}; empty if fixed. */
    public String describe() {
        if (!untilSteady) {
            return "";
        }
        String seconds = String.format(Locale.ROOT, "%.0f s", duration.toMillis() / 1000.0);
        return steady ? "steady after " + seconds + " (" + detail + ")"
                : "not steady after " + seconds + " (" + detail + "); measured anyway";
    }
}
