package io.secrethub.perf.engine;

import io.secrethub.perf.IntervalStats;
import io.secrethub.perf.PercentileValue;
import io.secrethub.perf.Timeline;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The figures of each sampling interval, per scope (the whole method, each named operation): what the report's
 * charts over time draw. Fed by the sampler thread about once a second, so the small allocations here never touch
 * the agents' recording path.
 */
final class TimelineRecorder {

    /** Steps per halving of the distance to 100%, as HdrHistogram's own percentile output uses. */
    private static final int PERCENTILE_TICKS_PER_HALF_DISTANCE = 5;

    private final Map<String, List<IntervalStats>> intervals = new LinkedHashMap<>();
    private final Map<String, Long> errorsSoFar = new HashMap<>();

    /**
     * Adds one interval of {@code operation} ({@code ""} for the whole method).
     *
     * @param errorsTotal the scope's failures counted since the start: the interval's are the difference
     */
    synchronized void add(String operation, double fromSeconds, double toSeconds, Histogram interval,
            long errorsTotal) {
        long failures = errorsTotal - errorsSoFar.getOrDefault(operation, 0L);
        errorsSoFar.put(operation, errorsTotal);
        long count = interval.getTotalCount();
        IntervalStats stats = count == 0
                ? new IntervalStats(fromSeconds, toSeconds, 0, failures, 0, 0, 0, 0)
                : new IntervalStats(fromSeconds, toSeconds, count, failures, interval.getValueAtPercentile(50),
                        interval.getValueAtPercentile(95), interval.getValueAtPercentile(99), interval.getMaxValue());
        intervals.computeIfAbsent(operation, key -> new ArrayList<>()).add(stats);
    }

    /** The timeline of {@code operation}, with the distribution of {@code total}, its whole-run histogram. */
    synchronized Timeline timeline(String operation, Histogram total) {
        return new Timeline(operation, intervals.getOrDefault(operation, List.of()), distribution(total));
    }

    /** HdrHistogram's percentile spectrum: ever finer steps towards 100%, ending at the maximum. */
    static List<PercentileValue> distribution(Histogram histogram) {
        List<PercentileValue> points = new ArrayList<>();
        if (histogram.getTotalCount() == 0) {
            return points;
        }
        for (HistogramIterationValue value : histogram.percentiles(PERCENTILE_TICKS_PER_HALF_DISTANCE)) {
            points.add(new PercentileValue(value.getPercentileLevelIteratedTo(),
                    histogram.highestEquivalentValue(value.getValueIteratedTo())));
        }
        return points;
    }
}
