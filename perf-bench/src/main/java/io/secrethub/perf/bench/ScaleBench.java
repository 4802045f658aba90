package io.secrethub.perf.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.secrethub.perf.LoadTest;
import io.secrethub.perf.LoadTestResult;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * Scale: 10,000 agents each sleeping 100 ms per invocation for 10 s (ideal 100,000 invocations/s). Run it on
 * Java 21+ (virtual threads) with {@code -Xmx512m}; prints the throughput against the ideal and the peak heap used,
 * sampled every 10 ms. {@code -Dscale.agents=100000 -Dscale.sleepMillis=1000 -Dscale.duration=30s} (with
 * {@code -Xmx1g}) is the larger run of the speed targets: the same ideal rate from ten times the agents.
 */
public final class ScaleBench {

    static final int AGENTS = Integer.getInteger("scale.agents", 10_000);
    static final long SLEEP_MILLIS = Long.getLong("scale.sleepMillis", 100);
    static final String DURATION = System.getProperty("scale.duration", "10s");

    private static final AtomicReference<LoadTestResult> RESULT = new AtomicReference<>();

    private ScaleBench() {
    }

    static class SleepingAgents {

        @LoadTest(agents = 10_000, duration = "10s") // overridden by scale.agents and scale.duration
        void sleep() throws InterruptedException {
            Thread.sleep(SLEEP_MILLIS);
        }

        @AfterEach
        void keep(LoadTestResult result) {
            RESULT.set(result);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();

        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(SleepingAgents.class))
                .configurationParameter("perf.report.console", "false")
                .configurationParameter("perf.results.dir", "target/perf-results")
                .configurationParameter("perf.agents", Integer.toString(AGENTS))
                .configurationParameter("perf.duration", DURATION)
                .build(), summary);
        sampler.interrupt();
        sampler.join();
        if (summary.getSummary().getTotalFailureCount() > 0) {
            summary.getSummary().printFailuresTo(new java.io.PrintWriter(System.err, true), 20);
            System.exit(1);
        }

        LoadTestResult result = RESULT.get();
        double ideal = AGENTS * 1000.0 / SLEEP_MILLIS;
        long max = memory.getHeapMemoryUsage().getMax();
        System.out.printf("Java %s, %d cores, max heap %d MB%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), max >> 20);
        System.out.printf("agents %,d x sleep %d ms for %s: %,d invocations in %.2f s%n", AGENTS, SLEEP_MILLIS,
                result.settings().duration(), result.successCount(), result.wallTime().toNanos() / 1e9);
        System.out.printf("throughput %,.0f/s vs ideal %,.0f/s = %.1f%% (target >= 95%%), errors %d%n",
                result.throughput(), ideal, 100 * result.throughput() / ideal, result.errorCount());
        // agents / mean latency is what the agents could do back to back: a gap to the throughput is time lost
        // between invocations (the framework), a gap to the ideal is time lost inside them (late wake-ups).
        double mean = result.latency().meanNanos();
        System.out.printf("latency mean %.2f ms, p50 %.2f ms, p99 %.2f ms, max %.2f ms; agents/mean = %,.0f/s%n",
                mean / 1e6, result.latency().p50Nanos() / 1e6, result.latency().p99Nanos() / 1e6,
                result.latency().maxNanos() / 1e6, AGENTS / (mean / 1e9));
        // Each pool's own peak, summed: an upper bound, since the pools need not peak at the same moment.
        long poolPeaks = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        System.out.printf("peak heap used %d MB sampled every 10 ms, <= %d MB by the pools' peaks (max heap %d MB)%n",
                peakHeap.get() >> 20, poolPeaks >> 20, max >> 20);
    }
}
