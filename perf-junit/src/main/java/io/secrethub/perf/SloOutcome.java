package io.secrethub.perf;

import java.util.Objects;
import java.util.Optional;

/**
 * How one SLO annotation fared: {@link Verdict#PASS}, {@link Verdict#FAIL}, or {@link Verdict#INCONCLUSIVE} when a
 * percentile rested on fewer samples than its {@code minSamples} asked for (neither met nor breached; it fails the
 * test only with {@code perf.slo.inconclusive=fail}, and then is {@link Verdict#FAIL}).
 *
 * @param annotation the annotation, e.g. {@code "@MaxP95"}
 * @param operation the operation it targets; {@code ""} for the whole method
 * @param metric what was measured: {@code "p95"}, {@code "p99.9"}, {@code "mean"}, {@code "throughput"} or
 *     {@code "error rate"}
 * @param comparator {@link Comparator#AT_MOST} for upper bounds, {@link Comparator#AT_LEAST} for lower bounds
 * @param target the target as text, e.g. {@code "50 ms"}
 * @param measured the measured value as text, e.g. {@code "62.1 ms"}, or why there is none; when inconclusive, the
 *     value with its sample count, e.g. {@code "202 ms (360 samples, 2,000 needed)"}
 * @param verdict whether the target was met, breached, or could not be judged
 * @param breach for {@link Verdict#FAIL}, the breach as it appears in the failure message; for
 *     {@link Verdict#INCONCLUSIVE}, why it was not judged, e.g.
 *     {@code "p99 inconclusive: needs 2,000 samples, had 360 (@MaxP99)"}; {@code ""} when passed
 */
public record SloOutcome(
        String annotation,
        String operation,
        String metric,
        Comparator comparator,
        String target,
        String measured,
        Verdict verdict,
        String breach) {

    /** Checks that no component is null. */
    public SloOutcome {
        Objects.requireNonNull(annotation, "annotation");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(comparator, "comparator");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(measured, "measured");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(breach, "breach");
    }

    /** An outcome that was judged: {@link Verdict#PASS} when {@code passed}, else {@link Verdict#FAIL}. */
    public SloOutcome(String annotation, String operation, String metric, Comparator comparator, String target,
            String measured, boolean passed, String breach) {
        this(annotation, operation, metric, comparator, target, measured, passed ? Verdict.PASS : Verdict.FAIL,
                breach);
    }

    /** Whether the target was met; {@code false} for an inconclusive outcome too. */
    public boolean passed() {
        return verdict == Verdict.PASS;
    }

    /** Whether the target was breached: what fails a test. */
    public boolean failed() {
        return verdict == Verdict.FAIL;
    }

    /** Whether too few samples left the target unjudged. */
    public boolean inconclusive() {
        return verdict == Verdict.INCONCLUSIVE;
    }

    /** The requirement in words, e.g. {@code "p95 <= 50 ms"} or {@code "read: p95 <= 5 ms"}. */
    public String requirement() {
        String scope = operation.isEmpty() ? "" : operation + ": ";
        return scope + metric + " " + comparator.symbol() + " " + target;
    }

    /** How an SLO fared, as every report names it. */
    public enum Verdict {
        /** The target was met. */
        PASS,
        /** The target was breached (or could not be measured at all): the test fails. */
        FAIL,
        /**
         * The figure rested on fewer samples than the SLO's {@code minSamples}: neither met nor breached, reported
         * with the reason, and the test does not fail on it (unless {@code perf.slo.inconclusive=fail}).
         */
        INCONCLUSIVE
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
