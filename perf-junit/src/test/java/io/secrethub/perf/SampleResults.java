package io.secrethub.perf;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Hand-made results with known figures, for tests of what is computed from results. */
public final class SampleResults {

    private SampleResults() {
    }

    /** Closed-model settings: {@code agents} × {@code iterations}, seed 42, platform threads. */
    public static LoadSettings closed(int agents, int iterations) {
        return new LoadSettings(agents, iterations, Duration.ZERO, 0, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO,
                1, 42, ThreadMode.PLATFORM);
    }

    /** Latency statistics whose percentiles are the given milliseconds. */
    public static LatencyStats latencyMillis(long count, double mean, double min, double p50, double p95, double p99,
            double max) {
        return new LatencyStats(count, mean * 1e6, nanos(min), nanos(p50), nanos((p50 + p95) / 2), nanos(p95),
                nanos(p99), nanos((p99 + max) / 2), nanos(max));
    }

    /** A result of {@code method} on {@code testClass} with the given figures and SLO outcomes. */
    public static LoadTestResult result(String testClass, String method, long successes, long failures,
            Duration wallTime, LatencyStats latency, List<ErrorSummary> errors, List<SloOutcome> slos) {
        double throughput = successes / (wallTime.toNanos() / 1e9);
        double errorRate = successes + failures == 0 ? 0 : 100.0 * failures / (successes + failures);
        OperationStats total = new OperationStats(method, successes, failures, throughput, errorRate, latency, errors);
        return new LoadTestResult(testClass, method, closed(2, (int) Math.max(1, (successes + failures) / 2)),
                Instant.parse("2026-01-02T03:04:05.678Z"), wallTime, total, latency, List.of(), Duration.ZERO, slos);
    }

    /** A passed latency SLO outcome. */
    public static SloOutcome passed(String annotation, String metric, String target, String measured) {
        return new SloOutcome(annotation, "", metric, SloOutcome.Comparator.AT_MOST, target, measured, true, "");
    }

    /** A failed latency SLO outcome. */
    public static SloOutcome failed(String annotation, String metric, String target, String measured) {
        return new SloOutcome(annotation, "", metric, SloOutcome.Comparator.AT_MOST, target, measured, false,
                metric + " " + measured + " > " + target + " (" + annotation + ")");
    }

    private static long nanos(double millis) {
        return Math.round(millis * 1e6);
    }
}
