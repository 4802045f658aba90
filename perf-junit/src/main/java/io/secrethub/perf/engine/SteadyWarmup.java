package io.secrethub.perf.engine;

import io.secrethub.perf.WarmupOutcome;
import io.secrethub.perf.units.Figures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code warmup = "steady"}: the agents warm up until their throughput stops changing. The JIT keeps compiling for
 * tens of seconds on a small machine (through HTTPS, a phase run alone after a fixed 2 s warm-up measured 2,405
 * reads/s where the same phase measured 7,246/s after 30 s), so a fixed warm-up either wastes time or measures the
 * compiler.
 *
 * <p>Once every agent has started warming up, a watcher counts the warm-up invocations in one-second windows. The
 * warm-up is steady when the mean of the last {@value #WINDOWS} windows is within {@value #TOLERANCE_PERCENT}% of the
 * mean of the {@value #WINDOWS} before, at two checks in a row (so it lasts at least 7 s); at its limit it ends
 * anyway and says it was not steady. The agents stop warming up when {@link #over()} turns true.
 */
final class SteadyWarmup {

    static final int WINDOWS = 3;
    static final int TOLERANCE_PERCENT = 5;
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Duration limit;
    private final CountDownLatch warming;
    private final LongAdder invocations = new LongAdder();
    private volatile boolean over;
    private volatile WarmupOutcome outcome;

    SteadyWarmup(int agents, Duration limit) {
        this.limit = limit;
        this.warming = new CountDownLatch(agents);
        this.outcome = new WarmupOutcome(true, false, Duration.ZERO, "the warm-up did not start");
    }

    /** Called by each agent as it starts warming up. */
    void agentStarted() {
        warming.countDown();
    }

    /** Called by an agent after each warm-up invocation. */
    void invoked() {
        invocations.increment();
    }

    /** Whether the agents should stop warming up. */
    boolean over() {
        return over;
    }

    WarmupOutcome outcome() {
        return outcome;
    }

    /**
     * Watches the warm-up until it is steady or at its limit, then ends it. Runs on its own thread; returns early
     * when {@code control} stops the run.
     */
    void watch(RunControl control) {
        try {
            while (!warming.await(100, TimeUnit.MILLISECONDS)) {
                if (control.stopped || control.ready.getCount() == 0) {
                    return; // an agent failed in its set-up, or nobody warms up
                }
            }
            invocations.reset();
            long start = System.nanoTime();
            long next = start + WINDOW_NANOS;
            List<Long> windows = new ArrayList<>();
            int steadyChecks = 0;
            while (!control.stopped) {
                TimeUnit.NANOSECONDS.sleep(next - System.nanoTime());
                next += WINDOW_NANOS;
                windows.add(invocations.sumThenReset());
                steadyChecks = steady(windows) ? steadyChecks + 1 : 0;
                boolean atLimit = System.nanoTime() - start >= limit.toNanos();
                if (steadyChecks >= 2 || atLimit) {
                    outcome = new WarmupOutcome(true, steadyChecks >= 2, Duration.ofNanos(System.nanoTime() - start),
                            detail(windows));
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            over = true;
        }
    }

    /** Whether the last {@link #WINDOWS} windows' mean is within the tolerance of the mean of the ones before. */
    static boolean steady(List<Long> windows) {
        if (windows.size() < 2 * WINDOWS) {
            return false;
        }
        double before = mean(windows, windows.size() - 2 * WINDOWS);
        double last = mean(windows, windows.size() - WINDOWS);
        return before > 0 && Math.abs(last - before) <= before * TOLERANCE_PERCENT / 100.0;
    }

    static String detail(List<Long> windows) {
        if (windows.size() < 2 * WINDOWS) {
            return windows.isEmpty() ? "no complete window"
                    : Figures.count(Math.round(mean(windows, Math.max(0, windows.size() - WINDOWS))))
                            + "/s over the last " + Math.min(WINDOWS, windows.size()) + " s";
        }
        double before = mean(windows, windows.size() - 2 * WINDOWS);
        double last = mean(windows, windows.size() - WINDOWS);
        String change = before > 0 ? String.format(Locale.ROOT, "%+.1f%%", 100 * (last - before) / before) : "n/a";
        return Figures.count(Math.round(last)) + "/s over the last " + WINDOWS + " s, " + change + " on the "
                + WINDOWS + " before";
    }

    private static double mean(List<Long> windows, int from) {
        double sum = 0;
        int n = Math.min(WINDOWS, windows.size() - from);
        for (int i = from; i < from + n; i++) {
            sum += windows.get(i);
        }
        return n == 0 ? 0 : sum / n;
    }
}
