package io.secrethub.perf;

import io.secrethub.perf.units.Durations;
import io.secrethub.perf.units.Figures;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link LoadTestResult}; obtain one from {@link PerfAssertions#assertThat(LoadTestResult)}.
 * Latency assertions use the method's latency (from the intended start in the open model), or an operation's
 * when the method name says so.
 */
public class LoadTestResultAssert extends AbstractAssert<LoadTestResultAssert, LoadTestResult> {

    /** Use {@link PerfAssertions#assertThat(LoadTestResult)}. */
    protected LoadTestResultAssert(LoadTestResult actual) {
        super(actual, LoadTestResultAssert.class);
    }

    /**
     * Checks that no SLO annotation was breached, listing the breaches otherwise; as for the test's own verdict, an
     * SLO left inconclusive for too few samples is no breach.
     */
    public LoadTestResultAssert metAllSlos() {
        isNotNull();
        if (!actual.slosMet()) {
            failWithMessage("Expected %s to meet all its SLOs but: %s", actual.name(),
                    actual.breaches().stream().map(SloOutcome::breach).collect(Collectors.joining("; ")));
        }
        return this;
    }

    /** Checks the number of measured invocations, successful or not. */
    public LoadTestResultAssert hasInvocationCount(long expected) {
        isNotNull();
        if (actual.invocationCount() != expected) {
            failWithMessage("Expected %s to have %s invocations but it had %s", actual.name(),
                    Figures.count(expected), Figures.count(actual.invocationCount()));
        }
        return this;
    }

    /** Checks the number of successful invocations. */
    public LoadTestResultAssert hasSuccessCount(long expected) {
        isNotNull();
        if (actual.successCount() != expected) {
            failWithMessage("Expected %s to have %s successful invocations but it had %s", actual.name(),
                    Figures.count(expected), Figures.count(actual.successCount()));
        }
        return this;
    }

    /** Checks that no invocation failed, naming the exception types otherwise. */
    public LoadTestResultAssert hasNoErrors() {
        isNotNull();
        if (actual.errorCount() != 0) {
            failWithMessage("Expected %s to have no errors but it had %s: %s", actual.name(),
                    Figures.count(actual.errorCount()), actual.errors().stream()
                            .map(e -> e.type() + " x" + e.count()).collect(Collectors.joining(", ")));
        }
        return this;
    }

    /** Checks that at most {@code percent} % of the invocations failed. */
    public LoadTestResultAssert hasErrorRateAtMost(double percent) {
        isNotNull();
        if (actual.errorRatePercent() > percent) {
            failWithMessage("Expected %s to have an error rate of at most %s but it was %s", actual.name(),
                    Figures.percent(percent), Figures.percent(actual.errorRatePercent()));
        }
        return this;
    }

    /** Checks that at least {@code perSecond} invocations succeeded per second of measured wall time. */
    public LoadTestResultAssert hasThroughputAtLeast(double perSecond) {
        isNotNull();
        if (actual.throughput() < perSecond) {
            failWithMessage("Expected %s to have a throughput of at least %s but it was %s", actual.name(),
                    Figures.rate(perSecond), Figures.rate(actual.throughput()));
        }
        return this;
    }

    /** Checks the median latency. */
    public LoadTestResultAssert hasP50AtMost(Duration max) {
        return latencyAtMost("p50", LatencyStats::p50Nanos, max);
    }

    /** Checks the 95th percentile latency. */
    public LoadTestResultAssert hasP95AtMost(Duration max) {
        return latencyAtMost("p95", LatencyStats::p95Nanos, max);
    }

    /** Checks the 99th percentile latency. */
    public LoadTestResultAssert hasP99AtMost(Duration max) {
        return latencyAtMost("p99", LatencyStats::p99Nanos, max);
    }

    /** Checks the mean latency. */
    public LoadTestResultAssert hasMeanLatencyAtMost(Duration max) {
        return latencyAtMost("mean", stats -> Math.round(stats.meanNanos()), max);
    }

    /** Checks the largest latency. */
    public LoadTestResultAssert hasMaxLatencyAtMost(Duration max) {
        return latencyAtMost("max", LatencyStats::maxNanos, max);
    }

    /** Checks that the named operation ran. */
    public LoadTestResultAssert hasOperation(String operation) {
        isNotNull();
        if (actual.operation(operation).isEmpty()) {
            failWithMessage("Expected %s to have recorded operation \"%s\" but it recorded %s", actual.name(),
                    operation, actual.operations().stream().map(OperationStats::name).toList());
        }
        return this;
    }

    /** Checks the named operation's 95th percentile latency. */
    public LoadTestResultAssert hasOperationP95AtMost(String operation, Duration max) {
        hasOperation(operation);
        long p95 = actual.operation(operation).orElseThrow().latency().p95Nanos();
        if (p95 > max.toNanos()) {
            failWithMessage("Expected %s operation \"%s\" to have p95 of at most %s but it was %s", actual.name(),
                    operation, Durations.format(max), Durations.format(p95));
        }
        return this;
    }

    private LoadTestResultAssert latencyAtMost(String metric, Function<LatencyStats, Long> figure, Duration max) {
        isNotNull();
        long measured = figure.apply(actual.latency());
        if (measured > max.toNanos()) {
            failWithMessage("Expected %s to have %s latency of at most %s but it was %s", actual.name(), metric,
                    Durations.format(max), Durations.format(measured));
        }
        return this;
    }
}
