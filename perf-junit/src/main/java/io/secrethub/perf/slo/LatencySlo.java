package io.secrethub.perf.slo;

import static io.secrethub.perf.SloOutcome.Comparator.AT_MOST;

import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.units.Durations;
import io.secrethub.perf.units.Figures;

/**
 * An upper bound on a latency percentile or on the mean latency of successful operations.
 *
 * @param annotation e.g. {@code "@MaxP95"}
 * @param operation the operation, or {@code ""} for the whole method
 * @param percentile 0 to 100, or {@link Double#NaN} for the mean
 * @param maxNanos the bound, inclusive
 */
public record LatencySlo(String annotation, String operation, double percentile, long maxNanos) implements Slo {

    /** A bound on the latency at {@code percentile}. */
    public static LatencySlo percentile(String annotation, String operation, double percentile, long maxNanos) {
        return new LatencySlo(annotation, operation, percentile, maxNanos);
    }

    /** A bound on the mean latency. */
    public static LatencySlo mean(String annotation, String operation, long maxNanos) {
        return new LatencySlo(annotation, operation, Double.NaN, maxNanos);
    }

    /** {@code "p95"}, {@code "p99.9"} or {@code "mean"}. */
    public String metric() {
        return Double.isNaN(percentile) ? "mean" : "p" + Figures.number(percentile);
    }

    @Override
    public SloOutcome evaluate(MeasuredScope scope) {
        String target = Durations.format(maxNanos);
        if (scope.successes() == 0) {
            // No sample says nothing about latency; claiming the bound is met would hide a broken workload.
            return new SloOutcome(annotation, operation, metric(), AT_MOST, target, "no successful operations", false,
                    Slo.scopePrefix(operation) + metric() + " not measured: no successful operations ("
                            + annotation + ")");
        }
        double measured = measure(scope);
        String measuredText = Durations.format(measured);
        boolean passed = measured <= maxNanos;
        String breach = passed ? ""
                : Slo.scopePrefix(operation) + metric() + " " + measuredText + " > " + target + " (" + annotation + ")";
        return new SloOutcome(annotation, operation, metric(), AT_MOST, target, measuredText, passed, breach);
    }

    /** The figure this SLO bounds, in nanoseconds: the percentile or the mean of {@code scope}. */
    public double measure(MeasuredScope scope) {
        return Double.isNaN(percentile) ? scope.meanNanos() : scope.percentileNanos(percentile);
    }

    @Override
    public SloOutcome neverRan(String recordedOperations) {
        return SloOutcomes.neverRan(this, metric(), AT_MOST, Durations.format(maxNanos), recordedOperations);
    }
}
