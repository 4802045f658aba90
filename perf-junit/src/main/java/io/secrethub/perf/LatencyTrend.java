package io.secrethub.perf;

/**
 * How a latency percentile moved over the measured part: the first third of the run against the last third, the
 * "increasing latency over time" signal (a leak, a growing table, a filling cache). Each third's percentile is read
 * from the sum of the sampling intervals that lie in it, so it is as exact as any other percentile.
 *
 * @param percentile the percentile compared, e.g. 95
 * @param firstThirdNanos the latency at that percentile over the first third; 0 when not measured
 * @param lastThirdNanos the latency at that percentile over the last third; 0 when not measured
 * @param intervals the sampling intervals the run had; at least 3 are needed for a trend
 */
public record LatencyTrend(double percentile, long firstThirdNanos, long lastThirdNanos, int intervals) {

    /** The fewest sampling intervals that give each third one of its own. */
    public static final int MIN_INTERVALS = 3;

    /** Whether both thirds had successful operations in intervals of their own. */
    public boolean measured() {
        return intervals >= MIN_INTERVALS && firstThirdNanos > 0 && lastThirdNanos > 0;
    }

    /** The change from the first third to the last, in percent; NaN when not {@link #measured()}. */
    public double changePercent() {
        return measured() ? (lastThirdNanos - firstThirdNanos) * 100.0 / firstThirdNanos : Double.NaN;
    }
}
