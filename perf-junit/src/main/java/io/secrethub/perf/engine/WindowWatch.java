package io.secrethub.perf.engine;

import io.secrethub.perf.slo.MeasuredWindow;
import io.secrethub.perf.slo.Slo;
import io.secrethub.perf.slo.WindowedSlo;
import java.util.List;
import java.util.Optional;

/**
 * For {@code @LoadTest(abortOnFailure = true)}: after each sample, checks the windows completed since the last
 * check against every windowed SLO, so a long run stops at the first breached window instead of running on.
 */
final class WindowWatch {

    private final List<WindowedSlo> slos;
    private final TimelineRecorder timeline;
    private final int[] nextWindow;
    private volatile String breach;
    private volatile double stoppedAtSeconds;

    private WindowWatch(List<WindowedSlo> slos, TimelineRecorder timeline) {
        this.slos = slos;
        this.timeline = timeline;
        this.nextWindow = new int[slos.size()];
    }

    /** A watch over the windowed SLOs among {@code slos}, or none when there are none. */
    static Optional<WindowWatch> of(List<Slo> slos, TimelineRecorder timeline) {
        List<WindowedSlo> windowed = slos.stream().filter(WindowedSlo.class::isInstance)
                .map(WindowedSlo.class::cast).toList();
        return windowed.isEmpty() ? Optional.empty() : Optional.of(new WindowWatch(windowed, timeline));
    }

    /** Checks the newly completed windows; returns whether one breached (then the run should stop). */
    boolean breached(double sampledSeconds) {
        if (breach != null) {
            return true;
        }
        for (int i = 0; i < slos.size(); i++) {
            WindowedSlo slo = slos.get(i);
            List<MeasuredWindow> windows = timeline.windows(slo.operation(), slo.windowNanos() / 1e9, nextWindow[i],
                    false);
            if (windows.isEmpty()) {
                continue;
            }
            nextWindow[i] = windows.get(windows.size() - 1).index() + 1;
            Optional<String> found = slo.firstBreach(windows);
            if (found.isPresent()) {
                stoppedAtSeconds = sampledSeconds;
                breach = found.get();
                return true;
            }
        }
        return false;
    }

    /** The breach that stopped the run, or {@code null}. */
    String breach() {
        return breach;
    }

    /** When the run was stopped, in seconds since the measured start. */
    double stoppedAtSeconds() {
        return stoppedAtSeconds;
    }

    /**
     * The sampling interval that lets every window be cut from whole intervals: the default tick, shortened to
     * an even divisor of the shortest window.
     */
    static long tickNanos(long defaultTickNanos, List<Slo> slos) {
        long shortest = slos.stream().filter(WindowedSlo.class::isInstance)
                .mapToLong(slo -> ((WindowedSlo) slo).windowNanos()).min().orElse(Long.MAX_VALUE);
        if (shortest >= Long.MAX_VALUE || shortest % defaultTickNanos == 0) {
            return Math.min(defaultTickNanos, shortest);
        }
        return shortest / ((shortest + defaultTickNanos - 1) / defaultTickNanos);
    }
}
