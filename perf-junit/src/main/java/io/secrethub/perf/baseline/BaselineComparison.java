package io.secrethub.perf.baseline;

import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.units.Durations;
import io.secrethub.perf.units.Figures;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every figure the gate compares, this run beside the baseline, for reports that show the whole comparison rather
 * than only the regressions that failed the test.
 *
 * @param recordedAt when the baseline run started
 * @param tolerancePercent the allowed change
 * @param rows one per compared figure, in the gate's order
 */
public record BaselineComparison(String recordedAt, double tolerancePercent, List<Row> rows) {

    /**
     * One compared figure.
     *
     * @param metric e.g. {@code "p95"}
     * @param baseline the baseline's value, as text
     * @param current this run's value, as text
     * @param changePercent the relative change; infinite when the baseline was 0 and this run's is not
     * @param regressed whether the gate counts it as a regression
     */
    public record Row(String metric, String baseline, String current, double changePercent, boolean regressed) {

        /** E.g. {@code +12.5%}; {@code "up from 0"} when the baseline was 0. */
        public String changeText() {
            if (Double.isNaN(changePercent)) {
                return "0%";
            }
            return Double.isInfinite(changePercent) ? "up from 0"
                    : (changePercent > 0 ? "+" : "") + Figures.percent(changePercent);
        }
    }

    /** {@code result} against its baseline {@code entry}, judged as {@link BaselineGate} judges it. */
    public static BaselineComparison of(LoadTestResult result, BaselineEntry entry, double tolerancePercent) {
        Set<String> regressed = BaselineGate.compare(result, entry, tolerancePercent).stream()
                .map(Regression::metric).collect(Collectors.toSet());
        List<Row> rows = List.of(
                latency("p50", entry.p50Nanos(), result.latency().p50Nanos(), regressed),
                latency("p95", entry.p95Nanos(), result.latency().p95Nanos(), regressed),
                latency("p99", entry.p99Nanos(), result.latency().p99Nanos(), regressed),
                latency("mean", entry.meanNanos(), result.latency().meanNanos(), regressed),
                new Row("throughput", Figures.rate(entry.throughput()), Figures.rate(result.throughput()),
                        change(result.throughput(), entry.throughput()), regressed.contains("throughput")),
                new Row("error rate", Figures.percent(entry.errorRatePercent()),
                        Figures.percent(result.errorRatePercent()),
                        change(result.errorRatePercent(), entry.errorRatePercent()), regressed.contains("error rate")));
        return new BaselineComparison(entry.recordedAt(), tolerancePercent, rows);
    }

    private static Row latency(String metric, double baseline, double current, Set<String> regressed) {
        return new Row(metric, Durations.format(baseline), Durations.format(current), change(current, baseline),
                regressed.contains(metric));
    }

    private static double change(double current, double baseline) {
        if (baseline == 0) {
            return current == 0 ? Double.NaN : Double.POSITIVE_INFINITY;
        }
        return (current - baseline) * 100 / baseline;
    }
}
