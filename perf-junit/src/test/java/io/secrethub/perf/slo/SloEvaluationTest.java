package io.secrethub.perf.slo;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.ErrorSummary;
import io.secrethub.perf.SloOutcome;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** SLOs against measured figures: exact comparisons, and breach texts that say what, how much and which. */
class SloEvaluationTest {

    /** Latencies 1..100 ms, one each: p50 is 50 ms, p95 95 ms, the mean 50.5 ms. */
    private static final MeasuredScope ONE_TO_HUNDRED_MS = scope(histogramOfMillis(1, 100), 0, 480, List.of());

    @Test
    void latencyPercentileWithinTargetPasses() {
        SloOutcome outcome = LatencySlo.percentile("@MaxP95", "", 95, millis(100)).evaluate(ONE_TO_HUNDRED_MS);

        assertThat(outcome.passed()).isTrue();
        assertThat(outcome.breach()).isEmpty();
        assertThat(outcome.measured()).isEqualTo("95 ms");
        assertThat(outcome.requirement()).isEqualTo("p95 <= 100 ms");
    }

    @Test
    void targetIsInclusive() {
        assertThat(LatencySlo.percentile("@MaxP50", "", 50, ONE_TO_HUNDRED_MS.percentileNanos(50))
                .evaluate(ONE_TO_HUNDRED_MS).passed()).isTrue();
        assertThat(LatencySlo.percentile("@MaxP50", "", 50, ONE_TO_HUNDRED_MS.percentileNanos(50) - 1)
                .evaluate(ONE_TO_HUNDRED_MS).passed()).isFalse();
    }

    @Test
    void latencyBreachNamesMetricMeasuredTargetAndAnnotation() {
        SloOutcome outcome = LatencySlo.percentile("@MaxP95", "", 95, millis(50)).evaluate(ONE_TO_HUNDRED_MS);

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.breach()).isEqualTo("p95 95 ms > 50 ms (@MaxP95)");
    }

    @Test
    void meanAndArbitraryPercentiles() {
        assertThat(LatencySlo.mean("@MaxMeanLatency", "", millis(10)).evaluate(ONE_TO_HUNDRED_MS).breach())
                .isEqualTo("mean 50.5 ms > 10 ms (@MaxMeanLatency)");
        assertThat(LatencySlo.percentile("@MaxPercentile", "", 99.9, millis(10)).evaluate(ONE_TO_HUNDRED_MS).breach())
                .isEqualTo("p99.9 100 ms > 10 ms (@MaxPercentile)");
    }

    @Test
    void latencyWithoutSuccessfulOperationsIsABreach() {
        MeasuredScope allFailed = scope(new Histogram(3), 5, 0, List.of(error("java.io.IOException", 5)));

        SloOutcome outcome = LatencySlo.percentile("@MaxP99", "", 99, millis(10)).evaluate(allFailed);

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.breach()).isEqualTo("p99 not measured: no successful operations (@MaxP99)");
    }

    @Test
    void throughputBelowTargetIsABreach() {
        SloOutcome outcome = new ThroughputSlo("@MinThroughput", "", 500).evaluate(ONE_TO_HUNDRED_MS);

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.breach()).isEqualTo("throughput 480/s < 500/s (@MinThroughput)");
        assertThat(outcome.requirement()).isEqualTo("throughput >= 500/s");
        assertThat(new ThroughputSlo("@MinThroughput", "", 480).evaluate(ONE_TO_HUNDRED_MS).passed()).isTrue();
    }

    @Test
    void errorRateBreachNamesTheExceptionTypesAndCounts() {
        MeasuredScope failing = scope(histogramOfMillis(1, 90), 10, 100, List.of(
                error("java.lang.IllegalStateException", 7), error("java.net.SocketTimeoutException", 3)));

        SloOutcome outcome = new ErrorRateSlo("@MaxErrorRate", "", 1).evaluate(failing);

        assertThat(outcome.measured()).isEqualTo("10%");
        assertThat(outcome.breach())
                .isEqualTo("error rate 10% > 1% (@MaxErrorRate): java.lang.IllegalStateException x7,"
                + " java.net.SocketTimeoutException x3");
        assertThat(new ErrorRateSlo("@MaxErrorRate", "", 10).evaluate(failing).passed()).isTrue();
    }

    @Test
    void operationSlosAreJudgedOnTheirOperationAndNameIt() {
        MeasuredScope fastRead = scope(histogramOfMillis(1, 2), 0, 100, List.of());
        List<Slo> slos = List.of(
                LatencySlo.percentile("@MaxP95", "read", 95, millis(5)),
                LatencySlo.percentile("@MaxP95", "write", 95, millis(5)),
                LatencySlo.percentile("@MaxP95", "", 95, millis(500)));

        List<SloOutcome> outcomes = SloEvaluator.evaluate(slos, ONE_TO_HUNDRED_MS,
                Map.of("read", fastRead, "write", ONE_TO_HUNDRED_MS));

        assertThat(outcomes).extracting(SloOutcome::passed).containsExactly(true, false, true);
        assertThat(SloEvaluator.failureMessage("secretWrites", outcomes))
                .isEqualTo("secretWrites: operation \"write\" p95 95 ms > 5 ms (@MaxP95)");
    }

    @Test
    void anOperationThatNeverRanIsABreachListingTheOnesThatDid() {
        List<SloOutcome> outcomes = SloEvaluator.evaluate(
                List.of(new ThroughputSlo("@MinThroughput", "wirte", 1)), ONE_TO_HUNDRED_MS,
                Map.of("write", ONE_TO_HUNDRED_MS, "read", ONE_TO_HUNDRED_MS));

        assertThat(outcomes).singleElement().satisfies(outcome -> {
            assertThat(outcome.passed()).isFalse();
            assertThat(outcome.measured()).isEqualTo("never ran");
            assertThat(outcome.breach()).isEqualTo("operation \"wirte\" never ran (@MinThroughput); recorded"
                    + " operations: read, write");
        });
        assertThat(SloEvaluator.evaluate(List.of(new ThroughputSlo("@MinThroughput", "any", 1)), ONE_TO_HUNDRED_MS,
                Map.of()).get(0).breach()).endsWith("no operations were recorded");
    }

    @Test
    void oneMessageListsEveryBreachInOrder() {
        List<SloOutcome> outcomes = SloEvaluator.evaluate(List.of(
                LatencySlo.percentile("@MaxP95", "", 95, millis(50)),
                LatencySlo.percentile("@MaxP99", "", 99, millis(500)),
                new ThroughputSlo("@MinThroughput", "", 500)), ONE_TO_HUNDRED_MS, Map.of());

        assertThat(SloEvaluator.failureMessage("secretReads", outcomes))
                .isEqualTo("secretReads: p95 95 ms > 50 ms (@MaxP95); throughput 480/s < 500/s (@MinThroughput)");
        assertThat(SloEvaluator.failureMessage("secretReads", outcomes.subList(1, 2))).isEmpty();
    }

    @Test
    void aPercentileBelowItsMinimumSampleCountIsInconclusiveWithTheCountsAndTheFigure() {
        SloOutcome outcome = LatencySlo.percentile("@MaxP99", "", 99, millis(50), 101).evaluate(ONE_TO_HUNDRED_MS);

        assertThat(outcome.verdict()).isEqualTo(SloOutcome.Verdict.INCONCLUSIVE);
        assertThat(outcome.measured()).isEqualTo("99 ms (100 samples, 101 needed)");
        assertThat(outcome.breach()).isEqualTo("p99 inconclusive: needs 101 samples, had 100 (@MaxP99)");
        assertThat(outcome.requirement()).isEqualTo("p99 <= 50 ms");
        assertThat(SloEvaluator.failureMessage("logins", List.of(outcome))).as("no breach").isEmpty();
    }

    @Test
    void theMinimumIsInclusiveAndAJudgedBreachReadsAsWithoutOne() {
        SloOutcome outcome = LatencySlo.percentile("@MaxP99", "read", 99, millis(50), 100)
                .evaluate(ONE_TO_HUNDRED_MS);

        assertThat(outcome.verdict()).isEqualTo(SloOutcome.Verdict.FAIL);
        assertThat(outcome.breach()).isEqualTo("operation \"read\" p99 99 ms > 50 ms (@MaxP99)")
                .isEqualTo(LatencySlo.percentile("@MaxP99", "read", 99, millis(50)).evaluate(ONE_TO_HUNDRED_MS)
                        .breach());
    }

    @Test
    void noSuccessfulOperationIsStillABreachWhateverTheMinimum() {
        MeasuredScope allFailed = scope(new Histogram(3), 5, 0, List.of(error("java.io.IOException", 5)));

        SloOutcome outcome = LatencySlo.percentile("@MaxP99", "", 99, millis(10), 1_000).evaluate(allFailed);

        assertThat(outcome.verdict()).isEqualTo(SloOutcome.Verdict.FAIL);
        assertThat(outcome.breach()).isEqualTo("p99 not measured: no successful operations (@MaxP99)");
    }

    @Test
    void strictModeTurnsOnlyInconclusiveOutcomesIntoBreachesNamingTheSetting() {
        List<Slo> slos = List.of(
                LatencySlo.percentile("@MaxP99", "", 99, millis(500), 2_000),
                LatencySlo.percentile("@MaxP95", "", 95, millis(500)),
                LatencySlo.percentile("@MaxP50", "", 50, millis(10), 2_000));

        List<SloOutcome> reported = SloEvaluator.evaluate(slos, ONE_TO_HUNDRED_MS, Map.of());
        List<SloOutcome> strict = SloEvaluator.evaluate(slos, ONE_TO_HUNDRED_MS, Map.of(), true);

        assertThat(reported).extracting(SloOutcome::verdict).containsExactly(SloOutcome.Verdict.INCONCLUSIVE,
                SloOutcome.Verdict.PASS, SloOutcome.Verdict.INCONCLUSIVE);
        assertThat(SloEvaluator.failureMessage("logins", reported)).isEmpty();
        assertThat(strict).extracting(SloOutcome::verdict).containsExactly(SloOutcome.Verdict.FAIL,
                SloOutcome.Verdict.PASS, SloOutcome.Verdict.FAIL);
        assertThat(SloEvaluator.failureMessage("logins", strict)).isEqualTo("logins: p99 inconclusive: needs 2,000"
                + " samples, had 100 (@MaxP99; perf.slo.inconclusive=fail); p50 inconclusive: needs 2,000 samples,"
                + " had 100 (@MaxP50; perf.slo.inconclusive=fail)");
        assertThat(strict.get(0).measured()).isEqualTo("99 ms (100 samples, 2,000 needed)");
    }

    @Test
    void windowsBelowTheMinimumAreLeftOutAndCounted() {
        WindowedSlo slo = new WindowedSlo(LatencySlo.percentile("@MaxP99", "", 99, millis(50), 50), 1_000_000_000);
        List<MeasuredWindow> windows = List.of(
                window(0, histogramOfMillis(1, 100)),          // 100 samples, p99 99 ms: judged, breached
                window(1, histogramOfMillis(1, 40)),           // 40 samples: too few, whatever its p99
                window(2, histogramOfMillis(500, 520)),        // 21 samples, p99 520 ms: too few, not the worst
                window(3, new Histogram(3)),                   // no successes: skipped as ever, not counted
                window(4, histogramOfMillis(1, 60)));          // 60 samples, p99 60 ms: judged, breached

        SloOutcome outcome = slo.judge(windows);

        assertThat(outcome.verdict()).isEqualTo(SloOutcome.Verdict.FAIL);
        assertThat(outcome.breach()).isEqualTo("p99 per 1 s: 99 ms > 50 ms in the window 0-1 s, the worst of 2"
                + " windows; 2 breached; 2 windows of fewer than 50 samples not judged (@MaxP99)");
        assertThat(slo.firstBreach(windows.subList(1, 3))).as("too few samples stop no run").isEmpty();
        assertThat(slo.firstBreach(windows)).isPresent();
    }

    @Test
    void windowsThatAllHaveTooFewSamplesMakeTheWindowedSloInconclusive() {
        WindowedSlo slo = new WindowedSlo(LatencySlo.percentile("@MaxP99", "", 99, millis(50), 1_000), 1_000_000_000);

        SloOutcome outcome = slo.judge(List.of(window(0, histogramOfMillis(1, 360)), window(1, new Histogram(3)),
                window(2, histogramOfMillis(1, 12))));

        assertThat(outcome.verdict()).isEqualTo(SloOutcome.Verdict.INCONCLUSIVE);
        assertThat(outcome.measured()).isEqualTo("not judged: no window had 1,000 samples (2 windows, at most 360"
                + " each)");
        assertThat(outcome.breach()).isEqualTo("p99 per 1 s inconclusive: needs 1,000 samples in a window, no window"
                + " had 1,000 samples (2 windows, at most 360 each) (@MaxP99)");
        assertThat(slo.judge(List.of(window(0, new Histogram(3)))).breach()).as("no successes at all: a breach")
                .isEqualTo("p99 per 1 s not measured: no window had successful operations (@MaxP99)");
    }

    private static MeasuredWindow window(int index, Histogram latency) {
        return new MeasuredWindow(index, index, index + 1, scope(latency, 0, latency.getTotalCount(), List.of()));
    }

    private static long millis(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static Histogram histogramOfMillis(int from, int to) {
        Histogram histogram = new Histogram(3);
        for (int ms = from; ms <= to; ms++) {
            histogram.recordValue(millis(ms));
        }
        return histogram;
    }

    private static ErrorSummary error(String type, long count) {
        return new ErrorSummary(type, count, "", type + "\n\tat somewhere");
    }

    private static MeasuredScope scope(Histogram latency, long failures, double throughput, List<ErrorSummary> errors) {
        return new MeasuredScope() {
            @Override
            public long successes() {
                return latency.getTotalCount();
            }

            @Override
            public long failures() {
                return failures;
            }

            @Override
            public double throughput() {
                return throughput;
            }

            @Override
            public long percentileNanos(double percentile) {
                return latency.getValueAtPercentile(percentile);
            }

            @Override
            public double meanNanos() {
                return latency.getMean();
            }

            @Override
            public List<ErrorSummary> errors() {
                return errors;
            }
        };
    }
}
