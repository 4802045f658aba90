package io.secrethub.perf.bench;

import com.github.noconnor.junitperf.JUnitPerfInterceptor;
import com.github.noconnor.junitperf.JUnitPerfReportingConfig;
import com.github.noconnor.junitperf.JUnitPerfTest;
import com.github.noconnor.junitperf.JUnitPerfTestActiveConfig;
import com.github.noconnor.junitperf.data.EvaluationContext;
import com.github.noconnor.junitperf.reporting.ReportGenerator;
import io.secrethub.perf.LoadTest;
import io.secrethub.perf.LoadTestResult;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The no-op test methods {@link OverheadBench} launches: the same empty body under perf-junit and under JUnitPerf,
 * each with 2 and 100 threads, for {@value #SECONDS} s after {@value #WARMUP_SECONDS} s of warm-up. The classes
 * don't end in {@code Test} and live in src/main, so Surefire never picks them up.
 */
final class NoOpFixtures {

    static final int SECONDS = 3;
    static final int WARMUP_SECONDS = 2;

    /** Results by method name, filled as the methods finish. */
    static final Map<String, LoadTestResult> OURS = new ConcurrentHashMap<>();
    static final Map<String, EvaluationContext> JUNITPERF = new ConcurrentHashMap<>();

    private NoOpFixtures() {
    }

    static class PerfJunitNoOp {

        @LoadTest(agents = 2, duration = SECONDS + "s", warmup = WARMUP_SECONDS + "s")
        void agents2() {
        }

        @LoadTest(agents = 100, duration = SECONDS + "s", warmup = WARMUP_SECONDS + "s")
        void agents100() {
        }

        @AfterEach
        void keep(LoadTestResult result) {
            OURS.put(result.method(), result);
        }
    }

    @ExtendWith(JUnitPerfInterceptor.class)
    static class JUnitPerfNoOp {

        /** Replaces JUnitPerf's HTML report with one that keeps its figures for the table. */
        @JUnitPerfTestActiveConfig
        static final JUnitPerfReportingConfig CONFIG = JUnitPerfReportingConfig.builder()
                .reportGenerator(new Keeper()).build();

        @org.junit.jupiter.api.Test
        @JUnitPerfTest(threads = 2, durationMs = SECONDS * 1000 + WARMUP_SECONDS * 1000,
                warmUpMs = WARMUP_SECONDS * 1000)
        void threads2() {
        }

        @org.junit.jupiter.api.Test
        @JUnitPerfTest(threads = 100, durationMs = SECONDS * 1000 + WARMUP_SECONDS * 1000,
                warmUpMs = WARMUP_SECONDS * 1000)
        void threads100() {
        }
    }

    private static final class Keeper implements ReportGenerator {

        @Override
        public void generateReport(LinkedHashSet<EvaluationContext> contexts) {
            // JUnitPerf names a context by its display name, "threads2()".
            contexts.forEach(context -> JUNITPERF.put(context.getTestName().replace("()", ""), context));
        }

        @Override
        public String getReportPath() {
            return "";
        }
    }
}
