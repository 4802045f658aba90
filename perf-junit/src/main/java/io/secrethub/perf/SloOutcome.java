package io.secrethub.perf;

import java.util.Objects;
import java.util.Optional;

/**
 * How one SLO annotation fared.
 *
 * @param annotation the annotation, e.g. {@code "@MaxP95"}
 * @param operation the operation it targets; {@code ""} for the whole method
 * @param metric what was measured: {@code "p95"}, {@code "p99.9"}, {@code "mean"}, {@code "throughput"} or
 *     {@code "error rate"}
 * @param comparator {@link Comparator#AT_MOST} for upper bounds, {@link Comparator#AT_LEAST} for lower bounds
 * @param target the target as text, e.g. {@code "50 ms"}
 * @param measured the measured value as text, e.g. {@code "62.1 ms"}, or why there is none
 * @param passed whether the target was met
 * @param breach the breach as it appears in the failure message; {@code ""} when passed
 */
public record SloOutcome(
        String annotation,
        String operation,
        String metric,
        Comparator comparator,
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
        return scope + metric + " " + comparator.symbol() + " " + target;
    }

    /** How the measured value must relate to the target. */
    public enum Comparator {
        /** The measured value must not exceed the target: latencies and error rates. */
        AT_MOST("<="),
        /** The measured value must reach the target: throughput. */
        AT_LEAST(">=");

        private final String symbol;

        Comparator(String symbol) {
            this.symbol = symbol;
        }

        /** The comparator as reports and JSON files write it: {@code "<="} or {@code ">="}. */
        public String symbol() {
            return symbol;
        }

        /** How a breach compares with the target: {@code ">"} for upper bounds, {@code "<"} for lower bounds. */
        public String opposite() {
            return this == AT_MOST ? ">" : "<";
        }

        /** The comparator written as {@code symbol}, if there is one. */
        public static Optional<Comparator> ofSymbol(String symbol) {
            for (Comparator comparator : values()) {
                if (comparator.symbol.equals(symbol)) {
                    return Optional.of(comparator);
                }
            }
            return Optional.empty();
        }
    }
}
