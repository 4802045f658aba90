package io.secrethub.perf.engine;

import io.secrethub.perf.ErrorSummary;
import io.secrethub.perf.LatencyStats;
import io.secrethub.perf.LatencyTrend;
import io.secrethub.perf.OperationStats;
import io.secrethub.perf.slo.MeasuredScope.GcFigures;
import io.secrethub.perf.slo.MeasuredWindow;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The measured figures of the method or one operation over the whole run, read from its total histogram and error
 * tally; its timeline gives the trend and the windows.
 */
final class HistogramScope extends HistogramFigures {

    private final String name;
    private final Histogram latency;
    private final List<ErrorSummary> errors;
    private final TimelineRecorder timeline;
    private final String operation;
    private final long allocatedBytes;
    private final GcFigures gcPauses;
    private long statements = StatementCounter.UNAVAILABLE;

    /** @param operation the scope's name in {@code timeline}: {@code ""} for the whole method */
    HistogramScope(String name, Histogram latency, ErrorTally errors, long wallNanos, TimelineRecorder timeline,
            String operation) {
        this(name, latency, errors.summaries(), wallNanos, timeline, operation, AllocationCounter.UNAVAILABLE,
                GcFigures.NOT_MEASURED);
    }

    /**
     * @param allocatedBytes what the agents allocated over the measured part, for the whole method's scope
     * @param gcPauses the measured part's GC pauses, for the whole method's scope
     */
    HistogramScope(String name, Histogram latency, ErrorTally errors, long wallNanos, TimelineRecorder timeline,
            String operation, long allocatedBytes, GcFigures gcPauses) {
        this(name, latency, errors.summaries(), wallNanos, timeline, operation, allocatedBytes, gcPauses);
    }

    HistogramScope(String name, Histogram latency, List<ErrorSummary> errors, long wallNanos,
            TimelineRecorder timeline, String operation, long allocatedBytes, GcFigures gcPauses) {
        super(latency, errors.stream().mapToLong(ErrorSummary::count).sum(), wallNanos / 1e9);
        this.name = name;
        this.latency = latency;
        this.errors = errors;
        this.timeline = timeline;
        this.operation = operation;
        this.allocatedBytes = allocatedBytes;
        this.gcPauses = gcPauses;
    }

    @Override
    public List<ErrorSummary> errors() {
        return errors;
    }

    @Override
    public GcFigures gcPauses() {
        return gcPauses;
    }

    /** Sets the statements counted over the measured part, for the whole method's scope. */
    HistogramScope withStatements(long count) {
        this.statements = count;
        return this;
    }

    @Override
    public long statements() {
        return statements;
    }

    @Override
    public long allocatedBytes() {
        return allocatedBytes;
    }

    @Override
    public List<MeasuredWindow> windows(long windowNanos) {
        return timeline.windows(operation, windowNanos / 1e9, 0, true);
    }

    @Override
    public LatencyTrend trend(double percentile) {
        return timeline.trend(operation, percentile);
    }

    /** The immutable figures for the result. */
    OperationStats toStats() {
        return new OperationStats(name, successes(), failures(), throughput(), errorRatePercent(),
                latencyStats(latency), errors);
    }

    static LatencyStats latencyStats(Histogram histogram) {
        if (histogram.getTotalCount() == 0) {
            return LatencyStats.EMPTY;
        }
        return new LatencyStats(histogram.getTotalCount(), histogram.getMean(), histogram.getMinValue(),
                histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(90),
                histogram.getValueAtPercentile(95), histogram.getValueAtPercentile(99),
                histogram.getValueAtPercentile(99.9), histogram.getMaxValue());
    }
}
