package io.secrethub.perf;

import java.util.Objects;

/**
 * How one SLO annotation fared.
 *
 * @param annotation the annotation, e.g. {@code "@MaxP95"}
 * @param operation the operation it targets; {@code ""} for the whole method
 * @param metric what was measured: {@code "p95"}, {@code "p99.9"}, {@code "mean"}, {@code "throughput"} or
 *     {@code "error rate"}
 * @param comparator {@code "<="} for upper bounds, {@code ">="} for lower bounds
 * @param target the target as text, e.g. {@code "50 ms"}
 * @param measured the measured value as text, e.g. {@code "62.1 ms"}, or why there is none
 * @param passed whether the target was met
 * @param breach the breach as it appears in the failure message; {@code ""} when passed
 */
public record SloOutcome(
        String annotation,
        String operation,
        String metric,
        String comparator,
        String target,
        String measured,
        boolean passed,
        String breach) {

    /** Checks that no component is null. */
    public SloOutcome {
        Objects.requireNonNull(annotation, "annotation");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(comparator, "comparator");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(measured, "measured");
        Objects.requireNonNull(breach, "breach");
    }

    /** The requirement in words, e.g. {@code "p95 <= 50 ms"} or {@code "read: p95 <= 5 ms"}. */
    public String requirement() {
        String scope = operation.isEmpty() ? "" : operation + ": ";
        return scope + metric + " " + comparator + " " + target;
    }
}
