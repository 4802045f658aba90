package io.secrethub.perf.slo;

import static io.secrethub.perf.SloOutcome.Comparator.AT_MOST;

import io.secrethub.perf.LatencyTrend;
import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.units.Durations;
import io.secrethub.perf.units.Figures;

/**
 * An upper bound on how much a latency percentile may rise from the first third of the run to the last.
 *
 * @param annotation {@code "@MaxLatencyDrift"}
 * @param operation the operation, or {@code ""} for the whole method
 * @param percentile above 0, at most 100
 * @param maxPercent the largest acceptable rise, in percent
 */
public record DriftSlo(String annotation, String operation, double percentile, double maxPercent) implements Slo {

    /** E.g. {@code "p95 drift"}. */
    public String metric() {
        return "p" + Figures.number(percentile) + " drift";
    }

    @Override
    public SloOutcome evaluate(MeasuredScope scope) {
        String target = Figures.percent(maxPercent);
        LatencyTrend trend = scope.trend(percentile);
        if (!trend.measured()) {
            // A trend needs an interval of its own in each third; claiming "no drift" without one would hide it.
            String why = trend.intervals() < LatencyTrend.MIN_INTERVALS
                    ? "the run had " + trend.intervals() + " sampling intervals, at least "
                            + LatencyTrend.MIN_INTERVALS + " are needed"
                    : "a third of the run had no successful operations";
            return new SloOutcome(annotation, operation, metric(), AT_MOST, target, "not measured: " + why, false,
                    Slo.scopePrefix(operation) + metric() + " not measured: " + why + " (" + annotation + ")");
        }
        double change = trend.changePercent();
        String measured = signed(change) + " (" + Durations.format(trend.firstThirdNanos()) + " in the first third, "
                + Durations.format(trend.lastThirdNanos()) + " in the last)";
        boolean passed = change <= maxPercent;
        String breach = passed ? ""
                : Slo.scopePrefix(operation) + metric() + " " + measured + " > " + target + " (" + annotation + ")";
        return new SloOutcome(annotation, operation, metric(), AT_MOST, target, measured, passed, breach);
    }

    @Override
    public SloOutcome neverRan(String recordedOperations) {
        return SloOutcomes.neverRan(this, metric(), AT_MOST, Figures.percent(maxPercent), recordedOperations);
    }

    /** A change in percent with its sign, e.g. {@code +35%} or {@code -2.5%}. */
    public static String signed(double percent) {
        return (percent > 0 ? "+" : "") + Figures.percent(percent);
    }
}
