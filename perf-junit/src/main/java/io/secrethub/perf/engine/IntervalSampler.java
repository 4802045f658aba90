package io.secrethub.perf.engine;

import io.secrethub.perf.report.IntervalLog;
import io.secrethub.perf.report.ProgressLine;
import io.secrethub.perf.slo.Slo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * The single reader of a run's recorders: every second (or every progress interval or SLO window, if shorter) it
 * drains the interval histograms of every series, appends them to the {@code .hlog} file, the totals and the
 * timeline, and every progress interval prints a progress line. A final sample at the end completes the totals.
 */
final class IntervalSampler {

    private static final long MAX_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Recording recording;
    private final TimelineRecorder timeline;
    private final WindowWatch watch;
    private final String name;
    private final IntervalLog log;
    private final Consumer<String> progress;
    private final long progressIntervalNanos;
    private final long tickNanos;

    private long startNanos;
    private long lastSampleNanos;
    private long lastProgressNanos;
    private long opsSinceProgress;
    private volatile boolean finished;
    private volatile RuntimeException failure;
    private Thread thread;
    private RunControl control;

    /**
     * @param log where intervals are appended, or {@code null}
     * @param progress where progress lines go, or {@code null} for none
     * @param watch stops the run at the first breached window, or {@code null} to run to the end
     * @param slos the method's SLOs: the interval is shortened to divide the shortest SLO window evenly
     */
    IntervalSampler(Recording recording, TimelineRecorder timeline, String name, IntervalLog log,
            Consumer<String> progress, Duration progressInterval, WindowWatch watch, List<Slo> slos) {
        this.recording = recording;
        this.timeline = timeline;
        this.watch = watch;
        this.name = name;
        this.log = log;
        this.progress = progress;
        this.progressIntervalNanos = progressInterval.toNanos();
        this.tickNanos = WindowWatch.tickNanos(Math.min(MAX_TICK_NANOS, progressIntervalNanos), slos);
    }

    /** Prints {@code [perf] <name>: <text>} where progress lines go, if anywhere: news from before the start. */
    void note(String text) {
        if (progress != null) {
            progress.accept("[perf] " + name + ": " + text);
        }
    }

    /** Starts sampling at the measured start; a breached window (with a watch) stops {@code control}'s run. */
    void start(long startNanos, RunControl control) {
        this.control = control;
        this.startNanos = startNanos;
        this.lastSampleNanos = startNanos;
        this.lastProgressNanos = startNanos;
        thread = new Thread(this::sampleUntilFinished, "perf-sampler-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void sampleUntilFinished() {
        long next = startNanos + tickNanos;
        try {
            while (!finished) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                long now = System.nanoTime();
                sample(now);
                if (watch != null && watch.breached((now - startNanos) / 1e9)) {
                    // Agents check this between invocations; the coordinator then finishes as usual.
                    control.stopped = true;
                }
                next += tickNanos;
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private synchronized void sample(long nowNanos) {
        double from = (lastSampleNanos - startNanos) / 1e9;
        double to = (nowNanos - startNanos) / 1e9;
        for (LatencyMetric metric : recording.metrics()) {
            Histogram interval = metric.sampleInterval();
            if (metric == recording.latency()) {
                opsSinceProgress += interval.getTotalCount();
            }
            if (log != null) {
                log.write(metric.tag(), interval, from, to);
            }
        }
        // After the log: the interval histograms stay as drained until the next sample.
        timeline.add("", from, to, recording.latency().lastInterval(), recording.errors().total());
        for (Recording.Operation operation : recording.operations().values()) {
            timeline.add(operation.name(), from, to, operation.latency().lastInterval(), operation.errors().total());
        }
        lastSampleNanos = nowNanos;
        if (progress != null && !finished && nowNanos - lastProgressNanos >= progressIntervalNanos) {
            long errors = recording.errors().total();
            double opsPerSecond = opsSinceProgress * 1e9 / (nowNanos - lastProgressNanos);
            long p95 = recording.latency().total().getValueAtPercentile(95);
            progress.accept(ProgressLine.format(name, nowNanos - startNanos, opsPerSecond, p95, errors));
            lastProgressNanos = nowNanos;
            opsSinceProgress = 0;
        }
    }

    /**
     * Stops the sampler thread and takes the final sample up to {@code endNanos}; afterwards every
     * {@link LatencyMetric#total()} is complete. Closes the log.
     */
    void finish(long endNanos) {
        finished = true;
        try {
            if (thread != null) {
                LockSupport.unpark(thread);
                joinUninterruptibly(thread);
                sample(Math.max(endNanos, lastSampleNanos));
            }
        } finally {
            if (log != null) {
                log.close();
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Closes the log of a run whose measured part never started. */
    void abandon() {
        finished = true;
        if (log != null) {
            log.close();
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
