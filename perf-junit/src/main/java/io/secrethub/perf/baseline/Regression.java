package io.secrethub.perf.baseline;

import io.secrethub.perf.units.Figures;

/**
 * One figure that got worse than the baseline allows.
 *
 * @param metric e.g. {@code "p95"} or {@code "throughput"}
 * @param current this run's value, as text
 * @param baseline the baseline's value, as text
 * @param changePercent the relative change, positive when the figure rose; infinite when the baseline was 0
 * @param tolerancePercent the allowed change
 */
public record Regression(String metric, String current, String baseline, double changePercent,
        double tolerancePercent) {

    /** E.g. {@code p95 10.2 ms vs 5.1 ms in the baseline (+100%, tolerance 20%)}. */
    public String describe() {
        String change = Double.isInfinite(changePercent) ? "up from 0"
                : (changePercent > 0 ? "+" : "") + Figures.percent(changePercent);
        return metric + " " + current + " vs " + baseline + " in the baseline (" + change + ", tolerance "
                + Figures.percent(tolerancePercent) + ")";
    }
}
