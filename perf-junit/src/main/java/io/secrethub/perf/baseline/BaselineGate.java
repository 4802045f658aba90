package io.secrethub.perf.baseline;

import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.units.Durations;
import io.secrethub.perf.units.Figures;
import java.util.ArrayList;
import java.util.List;

/** Compares a result with its baseline entry. */
public final class BaselineGate {

    private BaselineGate() {
    }

    /**
     * The figures of {@code current} that regressed beyond {@code tolerancePercent}: latencies (p50, p95, p99,
     * mean) or the error rate rising, throughput falling. Empty if none did.
     */
    public static List<Regression> compare(LoadTestResult current, BaselineEntry baseline, double tolerancePercent) {
        List<Regression> regressions = new ArrayList<>();
        latency(regressions, "p50", current.latency().p50Nanos(), baseline.p50Nanos(), tolerancePercent);
        latency(regressions, "p95", current.latency().p95Nanos(), baseline.p95Nanos(), tolerancePercent);
        latency(regressions, "p99", current.latency().p99Nanos(), baseline.p99Nanos(), tolerancePercent);
        latency(regressions, "mean", current.latency().meanNanos(), baseline.meanNanos(), tolerancePercent);
        double limit = 1 + tolerancePercent / 100;
        if (baseline.throughput() > 0 && current.throughput() < baseline.throughput() * (1 - tolerancePercent / 100)) {
            regressions.add(new Regression("throughput", Figures.rate(current.throughput()),
                    Figures.rate(baseline.throughput()), change(current.throughput(), baseline.throughput()),
                    tolerancePercent));
        }
        if (current.errorRatePercent() > baseline.errorRatePercent() * limit) {
            regressions.add(new Regression("error rate", Figures.percent(current.errorRatePercent()),
                    Figures.percent(baseline.errorRatePercent()),
                    change(current.errorRatePercent(), baseline.errorRatePercent()), tolerancePercent));
        }
        return regressions;
    }

    private static void latency(List<Regression> regressions, String metric, double current, double baseline,
            double tolerancePercent) {
        // A baseline without successful operations has no latency to regress from.
        if (baseline > 0 && current > baseline * (1 + tolerancePercent / 100)) {
            regressions.add(new Regression(metric, Durations.format(current), Durations.format(baseline),
                    change(current, baseline), tolerancePercent));
        }
    }

    private static double change(double current, double baseline) {
        return baseline == 0 ? Double.POSITIVE_INFINITY : (current - baseline) * 100 / baseline;
    }
}
