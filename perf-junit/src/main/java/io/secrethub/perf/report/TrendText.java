package io.secrethub.perf.report;

import io.secrethub.perf.LatencyTrend;
import io.secrethub.perf.slo.DriftSlo;
import io.secrethub.perf.units.Durations;
import io.secrethub.perf.units.Figures;

/** A latency trend in words, as every report shows it. */
final class TrendText {

    private TrendText() {
    }

    /** E.g. {@code p95 1.2 ms in the first third, 1.5 ms in the last (+25%)}. */
    static String describe(LatencyTrend trend) {
        String metric = "p" + Figures.number(trend.percentile());
        if (!trend.measured()) {
            return metric + " trend not measured (" + trend.intervals() + " sampling intervals; "
                    + LatencyTrend.MIN_INTERVALS + " with successes in the first and last third are needed)";
        }
        return metric + " " + Durations.format(trend.firstThirdNanos()) + " in the first third, "
                + Durations.format(trend.lastThirdNanos()) + " in the last (" + DriftSlo.signed(trend.changePercent())
                + ")";
    }
}
