package io.secrethub.perf.engine;

import io.secrethub.perf.ErrorSummary;
import io.secrethub.perf.slo.MeasuredScope;
import java.util.List;
import org.HdrHistogram.Histogram;

/** What one window of a run measured: the sum of its intervals' histograms and failure counts. */
final class WindowFigures implements MeasuredScope {

    private final Histogram latency;
    private final long failures;
    private final double seconds;

    WindowFigures(Histogram latency, long failures, double seconds) {
        this.latency = latency;
        this.failures = failures;
        this.seconds = seconds;
    }

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
        return seconds > 0 ? successes() / seconds : 0;
    }

    @Override
    public long percentileNanos(double percentile) {
        return latency.getValueAtPercentile(percentile);
    }

    @Override
    public double meanNanos() {
        return latency.getMean();
    }

    /** Failure types are kept for the whole run only. */
    @Override
    public List<ErrorSummary> errors() {
        return List.of();
    }
}
