package io.secrethub.perf;

import java.util.List;
import java.util.Objects;

/**
 * The figures of the whole test method or of one named operation within it.
 *
 * @param name the operation's name, or the method's name for the whole method
 * @param successes operations that completed normally (the only ones in {@code latency})
 * @param failures operations that threw
 * @param throughput successes per second of measured wall time
 * @param errorRatePercent {@code failures} as a percentage of all operations
 * @param latency latency of the successful operations; in the open model, from each arrival's intended start
 * @param errors the failures by exception type, most frequent first
 */
public record OperationStats(
        String name,
        long successes,
        long failures,
        double throughput,
        double errorRatePercent,
        LatencyStats latency,
        List<ErrorSummary> errors) {

    /** Copies the error list, so the record stays immutable. */
    public OperationStats {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(latency, "latency");
        errors = List.copyOf(errors);
    }

    /** All operations, successful or not. */
    public long invocations() {
        return successes + failures;
    }
}
