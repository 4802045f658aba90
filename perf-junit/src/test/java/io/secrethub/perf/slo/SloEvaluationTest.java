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
