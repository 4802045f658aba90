package io.secrethub.perf.engine;

import io.secrethub.perf.IntervalStats;
import io.secrethub.perf.LatencyTrend;
import io.secrethub.perf.PercentileValue;
import io.secrethub.perf.Timeline;
import io.secrethub.perf.slo.MeasuredWindow;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The figures of each sampling interval, per scope (the whole method, each named operation): what the report's
 * charts over time draw, and each interval's histogram, compressed (a few KB, as in the {@code .hlog} file), so
 * percentiles over any span of intervals (a third of the run for the trend) are exact. Fed by the sampler thread
 * about once a second, so the allocations here never touch the agents' recording path.
 */
final class TimelineRecorder {

    /** One interval's histogram, compressed. */
    private record Compressed(double fromSeconds, double toSeconds, ByteBuffer histogram) {
        double middle() {
            return (fromSeconds + toSeconds) / 2;
        }

        Histogram decode() {
            try {
                return Histogram.decodeFromCompressedByteBuffer(histogram.duplicate(), 0);
            } catch (DataFormatException e) {
                throw new IllegalStateException("an interval histogram did not decode", e);
            }
        }
    }

    /** The percentile every report's trend shows. */
    static final double TREND_PERCENTILE = 95;

    /** Steps per halving of the distance to 100%, as HdrHistogram's own percentile output uses. */
    private static final int PERCENTILE_TICKS_PER_HALF_DISTANCE = 5;

    private final Map<String, List<IntervalStats>> intervals = new LinkedHashMap<>();
    private final Map<String, List<Compressed>> histograms = new HashMap<>();
    private final Map<String, Long> errorsSoFar = new HashMap<>();
    private ByteBuffer scratch;

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
        // Encoded into a scratch buffer of the uncompressed size (tens of KB), then kept at its compressed size (a few
        // KB): keeping the scratch buffer itself held ~300 KB a second, 18 MB a minute, for as long as a run lasts.
        int needed = interval.getNeededByteBufferCapacity();
        if (scratch == null || scratch.capacity() < needed) {
            scratch = ByteBuffer.allocate(needed);
        }
        scratch.clear();
        int length = interval.encodeIntoCompressedByteBuffer(scratch);
        ByteBuffer compressed = ByteBuffer.wrap(Arrays.copyOf(scratch.array(), length));
        histograms.computeIfAbsent(operation, key -> new ArrayList<>())
                .add(new Compressed(fromSeconds, toSeconds, compressed));
    }

    /** Bytes held by the intervals' compressed histograms (their backing arrays), for tests. */
    synchronized long retainedHistogramBytes() {
        long bytes = 0;
        for (List<Compressed> scope : histograms.values()) {
            for (Compressed interval : scope) {
                bytes += interval.histogram().array().length;
            }
        }
        return bytes;
    }

    /** The timeline of {@code operation}, with the distribution of {@code total}, its whole-run histogram. */
    synchronized Timeline timeline(String operation, Histogram total) {
        return new Timeline(operation, intervals.getOrDefault(operation, List.of()), distribution(total),
                trend(operation, TREND_PERCENTILE));
    }

    /**
     * {@code percentile} over the intervals of the first third of the run against those of the last third; an
     * interval belongs to the third its middle lies in. The run's span is that of the method's intervals.
     */
    synchronized LatencyTrend trend(String operation, double percentile) {
        List<Compressed> method = histograms.getOrDefault("", List.of());
        List<Compressed> scope = histograms.getOrDefault(operation, List.of());
        if (method.size() < LatencyTrend.MIN_INTERVALS) {
            return new LatencyTrend(percentile, 0, 0, method.size());
        }
        double start = method.get(0).fromSeconds();
        double third = (method.get(method.size() - 1).toSeconds() - start) / 3;
        Histogram first = LatencySink.newHistogram();
        Histogram last = LatencySink.newHistogram();
        for (Compressed interval : scope) {
            if (interval.middle() < start + third) {
                first.add(interval.decode());
            } else if (interval.middle() >= start + 2 * third) {
                last.add(interval.decode());
            }
        }
        return new LatencyTrend(percentile, valueAt(first, percentile), valueAt(last, percentile), method.size());
    }

    /**
     * The windows of {@code windowSeconds} of {@code operation}, from window {@code fromIndex} on: each the sum of
     * the intervals whose middle lies in it. A window counts once the sampler has passed its end; with
     * {@code includePartial} (at the end of the run) a last, shorter window counts too if it covers at least half
     * a window.
     */
    synchronized List<MeasuredWindow> windows(String operation, double windowSeconds, int fromIndex,
            boolean includePartial) {
        List<Compressed> method = histograms.getOrDefault("", List.of());
        if (method.isEmpty()) {
            return List.of();
        }
        double start = method.get(0).fromSeconds();
        double sampledUntil = method.get(method.size() - 1).toSeconds();
        // A sample lands a little after its tick: a window counts as complete within 1% of its length.
        int complete = (int) Math.floor((sampledUntil - start) / windowSeconds + 0.01);
        int count = complete;
        if (includePartial && (sampledUntil - start) - complete * windowSeconds >= windowSeconds / 2) {
            count++;
        }
        List<MeasuredWindow> windows = new ArrayList<>();
        List<Compressed> scope = histograms.getOrDefault(operation, List.of());
        List<IntervalStats> stats = intervals.getOrDefault(operation, List.of());
        for (int index = fromIndex; index < count; index++) {
            double from = start + index * windowSeconds;
            double to = index < complete ? from + windowSeconds : sampledUntil;
            Histogram latency = LatencySink.newHistogram();
            for (Compressed interval : scope) {
                if (interval.middle() >= from && interval.middle() < to) {
                    latency.add(interval.decode());
                }
            }
            long failures = 0;
            for (IntervalStats interval : stats) {
                double middle = (interval.startSeconds() + interval.endSeconds()) / 2;
                if (middle >= from && middle < to) {
                    failures += interval.failures();
                }
            }
            double seconds = 0;
            for (Compressed interval : method) {
                if (interval.middle() >= from && interval.middle() < to) {
                    seconds += interval.toSeconds() - interval.fromSeconds();
                }
            }
            windows.add(new MeasuredWindow(index, from, to, new HistogramFigures(latency, failures, seconds)));
        }
        return windows;
    }

    private static long valueAt(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile);
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
