package io.secrethub.perf.engine;

import io.secrethub.perf.ErrorSummary;
import io.secrethub.perf.slo.MeasuredScope;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Figures read from a latency histogram and a failure count over some seconds: one window of a run (the sum of its
 * intervals), or, as {@link HistogramScope}, the whole run.
 */
class HistogramFigures implements MeasuredScope {

    private final Histogram latency;
    private final long failures;
    private final double seconds;

    HistogramFigures(Histogram latency, long failures, double seconds) {
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

    /** Failure types are kept for the whole run only (see {@link HistogramScope}). */
    @Override
    public List<ErrorSummary> errors() {
        return List.of();
    }
}
