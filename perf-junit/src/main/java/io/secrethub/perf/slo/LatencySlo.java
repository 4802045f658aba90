package io.secrethub.perf.slo;

import static io.secrethub.perf.SloOutcome.Comparator.AT_MOST;

import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.units.Durations;
import io.secrethub.perf.units.Figures;

/**
 * An upper bound on a latency percentile or on the mean latency of successful operations.
 *
 * <p>A percentile can ask for {@code minSamples}: with fewer successful operations its figure is decided by one or
 * two of them (a p99 of 360 is the fourth slowest), so it is neither met nor breached but
 * {@link SloOutcome.Verdict#INCONCLUSIVE}. None at all is still a breach, as without a minimum: a workload that
 * never succeeds must not pass quietly.
 *
 * @param annotation e.g. {@code "@MaxP95"}
 * @param operation the operation, or {@code ""} for the whole method
 * @param percentile 0 to 100, or {@link Double#NaN} for the mean
 * @param maxNanos the bound, inclusive
 * @param minSamples the fewest successful operations a judgement needs; 0 for none (always 0 for the mean)
 */
public record LatencySlo(String annotation, String operation, double percentile, long maxNanos, long minSamples)
        implements Slo {

    /** Checks the minimum. */
    public LatencySlo {
        if (minSamples < 0) {
            throw new IllegalArgumentException("minSamples must be 0 or more: " + minSamples);
        }
    }

    /** A bound on the latency at {@code percentile}, judged however few samples there are. */
    public static LatencySlo percentile(String annotation, String operation, double percentile, long maxNanos) {
        return new LatencySlo(annotation, operation, percentile, maxNanos, 0);
    }

    /** A bound on the latency at {@code percentile}, judged only on at least {@code minSamples} successes. */
    public static LatencySlo percentile(String annotation, String operation, double percentile, long maxNanos,
            long minSamples) {
        return new LatencySlo(annotation, operation, percentile, maxNanos, minSamples);
    }

    /** A bound on the mean latency. */
    public static LatencySlo mean(String annotation, String operation, long maxNanos) {
        return new LatencySlo(annotation, operation, Double.NaN, maxNanos, 0);
    }

    /** {@code "p95"}, {@code "p99.9"} or {@code "mean"}. */
    public String metric() {
        return Double.isNaN(percentile) ? "mean" : "p" + Figures.number(percentile);
    }

    /** Whether {@code scope} has enough successful operations to judge; none at all is judged (as a breach). */
    public boolean enoughSamples(MeasuredScope scope) {
        return scope.successes() == 0 || scope.successes() >= minSamples;
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
        if (!enoughSamples(scope)) {
            return new SloOutcome(annotation, operation, metric(), AT_MOST, target, measuredText + " ("
                    + Figures.count(scope.successes()) + " samples, " + Figures.count(minSamples) + " needed)",
                    SloOutcome.Verdict.INCONCLUSIVE, Slo.scopePrefix(operation) + metric() + " inconclusive: needs "
                            + Figures.count(minSamples) + " samples, had " + Figures.count(scope.successes()) + " ("
                            + annotation + ")");
        }
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
