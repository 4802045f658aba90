package io.secrethub.perf.slo;

import io.secrethub.perf.ErrorSummary;
import io.secrethub.perf.LatencyTrend;
import java.util.List;

/** What was measured for the whole method or for one operation: the figures an SLO can be checked against. */
public interface MeasuredScope {

    /** Operations that completed normally. */
    long successes();

    /** Operations that threw. */
    long failures();

    /** Successes per second of measured wall time. */
    double throughput();

    /** Failures as a percentage of all operations; 0 when there were none. */
    default double errorRatePercent() {
        long all = successes() + failures();
        return all == 0 ? 0 : 100.0 * failures() / all;
    }

    /** The latency of successful operations at {@code percentile} (0 to 100), in nanoseconds. */
    long percentileNanos(double percentile);

    /** The mean latency of successful operations, in nanoseconds. */
    double meanNanos();

    /** The failures by exception type, most frequent first. */
    List<ErrorSummary> errors();

    /**
     * The stop-the-world GC pauses of the measured part.
     *
     * @param count how many
     * @param totalNanos all together; negative when not measured
     * @param maxNanos the longest; negative when not measured
     */
    record GcFigures(long count, long totalNanos, long maxNanos) {
        /** Nothing measured. */
        public static final GcFigures NOT_MEASURED = new GcFigures(0, -1, -1);
    }

    /** The GC pauses of the measured part; by default not measured. */
    default GcFigures gcPauses() {
        return GcFigures.NOT_MEASURED;
    }

    /** Heap bytes the agents allocated over the measured part; negative when not measured. */
    default long allocatedBytes() {
        return -1;
    }

    /** SQL statements executed through {@code @PostgresDatabase}'s pools over the measured part; negative when not. */
    default long statements() {
        return -1;
    }

    /**
     * {@code percentile} over the first third of the run against the last third; by default not measured, for
     * scopes that keep no intervals.
     */
    default LatencyTrend trend(double percentile) {
        return new LatencyTrend(percentile, 0, 0, 0);
    }

    /**
     * The run cut into consecutive windows of {@code windowNanos} from the measured start; a last, shorter window
     * counts when it covers at least half a window. By default none, for scopes that keep no intervals.
     */
    default List<MeasuredWindow> windows(long windowNanos) {
        return List.of();
    }
}
