package io.secrethub.perf.report;

import io.secrethub.perf.units.Durations;
import io.secrethub.perf.units.Figures;

/** The line a long run prints every {@code perf.progress.interval}, so a watcher sees it is alive and how fast. */
public final class ProgressLine {

    private ProgressLine() {
    }

    /**
     * E.g. {@code [perf] SecretReadsTest.reads: 15 s, 8,123 ops/s, p95 3.21 ms, 0 errors}.
     *
     * @param elapsedNanos time since the measured start
     * @param opsPerSecond successful operations per second over the last progress interval
     * @param p95Nanos the 95th percentile latency of the run so far
     * @param errors failed operations so far
     */
    public static String format(String name, long elapsedNanos, double opsPerSecond, long p95Nanos, long errors) {
        return "[perf] " + name + ": " + Durations.format(elapsedNanos) + ", " + Figures.number(opsPerSecond)
                + " ops/s, p95 " + Durations.format(p95Nanos) + ", " + Figures.count(errors)
                + (errors == 1 ? " error" : " errors");
    }
}
