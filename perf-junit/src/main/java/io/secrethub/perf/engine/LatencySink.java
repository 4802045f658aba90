package io.secrethub.perf.engine;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.IntervalHistogramProvider;
import org.HdrHistogram.ValueRecorder;

/**
 * Where an agent records latencies: an HdrHistogram recorder ({@code SingleWriterRecorder} when one agent owns
 * it, {@code Recorder} when several share it), fixed in size, so recording never allocates or resizes.
 */
final class LatencySink {

    /** Longer latencies are recorded as this; an operation slower than an hour is broken, not slow. */
    static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.HOURS.toNanos(1);

    /** Three significant digits: every figure within 0.1% of the recorded value. */
    static final int SIGNIFICANT_DIGITS = 3;

    private final ValueRecorder recorder;
    private final IntervalHistogramProvider<Histogram> intervals;

    private <R extends ValueRecorder & IntervalHistogramProvider<Histogram>> LatencySink(R recorder) {
        this.recorder = recorder;
        this.intervals = recorder;
    }

    /** For one writer thread only: the fast path, with no contended writes at all. */
    static LatencySink singleWriter() {
        return new LatencySink(new org.HdrHistogram.SingleWriterRecorder(1, HIGHEST_TRACKABLE_NANOS,
                SIGNIFICANT_DIGITS));
    }

    /** For several writer threads: atomic counts, still lock-free. */
    static LatencySink shared() {
        return new LatencySink(new org.HdrHistogram.Recorder(1, HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS));
    }

    /** A histogram with the same range and precision, for the reader side. */
    static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
    }

    /** Records one latency; called on the hot path, so no allocation and no branches beyond the clamp. */
    void record(long nanos) {
        recorder.recordValue(nanos < HIGHEST_TRACKABLE_NANOS ? nanos : HIGHEST_TRACKABLE_NANOS);
    }

    /** Moves what was recorded since the last call into {@code target}, replacing its contents. Reader only. */
    void moveIntervalInto(Histogram target) {
        intervals.getIntervalHistogramInto(target);
    }
}
