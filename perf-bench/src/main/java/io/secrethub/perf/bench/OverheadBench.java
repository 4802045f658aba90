package io.secrethub.perf.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.github.noconnor.junitperf.data.EvaluationContext;
import io.secrethub.perf.LatencyStats;
import io.secrethub.perf.LoadTestResult;
import java.util.concurrent.TimeUnit;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * Framework overhead: the no-op methods of {@link NoOpFixtures} under perf-junit and JUnitPerf, launched in one JUnit
 * Platform run, and a table of invocations per second (target: perf-junit at least 3x JUnitPerf).
 */
public final class OverheadBench {

    private OverheadBench() {
    }

    /** Pass 1 runs in a cold JVM (the JIT still compiling JUnit and both frameworks), pass 2 in a warm one. */
    private static final int PASSES = 2;

    public static void main(String[] args) {
        System.out.printf("Java %s, %d cores; no-op method, %d s measured after %d s warm-up%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), NoOpFixtures.SECONDS,
                NoOpFixtures.WARMUP_SECONDS);
        Launcher launcher = LauncherFactory.create();
        for (int pass = 1; pass <= PASSES; pass++) {
            NoOpFixtures.OURS.clear();
            NoOpFixtures.JUNITPERF.clear();
            launchFixtures(launcher);
            System.out.printf("pass %d of %d (%s JVM)%n", pass, PASSES, pass == 1 ? "cold" : "warm");
            System.out.printf("%-8s %16s %16s %7s   %-44s %s%n", "threads", "perf-junit ops/s", "JUnitPerf ops/s",
                    "ratio", "perf-junit p50 / p99 / max (HdrHistogram)", "JUnitPerf p50 / p99 / max");
            row(2, NoOpFixtures.OURS.get("agents2"), NoOpFixtures.JUNITPERF.get("threads2"));
            row(100, NoOpFixtures.OURS.get("agents100"), NoOpFixtures.JUNITPERF.get("threads100"));
        }
    }

    private static void launchFixtures(Launcher launcher) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(NoOpFixtures.PerfJunitNoOp.class), selectClass(NoOpFixtures.JUnitPerfNoOp.class))
                .configurationParameter("perf.report.console", "false")
                .configurationParameter("perf.results.dir", "target/perf-results")
                .build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        launcher.execute(request, summary);
        if (summary.getSummary().getTotalFailureCount() > 0) {
            summary.getSummary().printFailuresTo(new java.io.PrintWriter(System.err, true), 20);
            System.exit(1);
        }
    }

    private static void row(int threads, LoadTestResult ours, EvaluationContext theirs) {
        // JUnitPerf's own figure: evaluations / (durationMs - warmUpMs).
        double theirOps = theirs.getThroughputQps();
        LatencyStats latency = ours.latency();
        System.out.printf("%-8d %,16.0f %,16.0f %6.1fx   %-44s %s%n", threads, ours.throughput(), theirOps,
                ours.throughput() / theirOps,
                String.format("%,d / %,d / %,d ns (n=%,d)", latency.p50Nanos(), latency.p99Nanos(),
                        latency.maxNanos(), latency.count()),
                String.format("%,.0f / %,.0f / %,.0f ns (n=%,d, errors %,d)", theirs.getLatencyPercentileMs(50) * 1e6,
                        theirs.getLatencyPercentileMs(99) * 1e6, theirs.getMaxLatencyMs() * 1e6,
                        theirs.getEvaluationCount(), theirs.getErrorCount()));
    }
}
