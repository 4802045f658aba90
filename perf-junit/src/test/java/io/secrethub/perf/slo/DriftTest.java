package io.secrethub.perf.slo;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.LatencyTrend;
import io.secrethub.perf.LoadTest;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.MaxLatencyDrift;
import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.testkit.FixtureResults;
import io.secrethub.perf.testkit.FixtureRun;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** {@code @MaxLatencyDrift} and the trend every result carries, on real runs of fixture classes. */
class DriftTest {

    @Test
    void latencyThatGrowsOverTheRunBreachesTheDriftLimit() {
        FixtureResults results = FixtureRun.of(Growing.class).with("perf.progress.interval", "100ms").execute();

        LoadTestResult result = results.result("slowsDown");
        LatencyTrend trend = result.timeline("").orElseThrow().trend();
        assertThat(trend.measured()).isTrue();
        assertThat(trend.intervals()).isGreaterThanOrEqualTo(LatencyTrend.MIN_INTERVALS);
        assertThat(trend.lastThirdNanos()).isGreaterThan(2 * trend.firstThirdNanos());
        SloOutcome drift = result.slos().get(0);
        assertThat(drift.passed()).isFalse();
        assertThat(drift.metric()).isEqualTo("p95 drift");
        assertThat(results.failureMessages()).singleElement().asString()
                .startsWith("slowsDown: p95 drift +").contains(" in the first third, ")
                .endsWith(" > 20% (@MaxLatencyDrift)");
    }

    @Test
    void aSteadyRunMeetsAGenerousLimitAndCarriesItsTrend() {
        FixtureResults results = FixtureRun.of(Steady.class).with("perf.progress.interval", "100ms").execute();

        LoadTestResult result = results.result("steady");
        assertThat(results.failureMessages()).isEmpty();
        assertThat(result.slos().get(0).measured())
                .matches("[+-]?[0-9.,]+% \\(.+ in the first third, .+ in the last\\)");
        assertThat(result.timeline("get").orElseThrow().trend().measured()).isTrue();
    }

    @Test
    void aRunTooShortForThirdsIsABreachThatSaysWhy() {
        FixtureResults results = FixtureRun.of(TooShort.class).execute();

        assertThat(results.failureMessages()).singleElement().asString()
                .startsWith("brief: p95 drift not measured: the run had 1 sampling intervals, at least 3 are needed");
    }

    @Test
    void aMalformedLimitFailsBeforeAnyLoadRuns() {
        FixtureResults results = FixtureRun.of(Malformed.class).execute();

        assertThat(results.failureMessages()).singleElement().asString()
                .contains("@MaxLatencyDrift(percentile = 95, max = \"4 %\")", "DriftTest.Malformed.typo()", "4 %");
        assertThat(Malformed.INVOCATIONS).hasValue(0);
    }

    static class Growing {
        private static final AtomicLong START = new AtomicLong();

        @LoadTest(agents = 2, duration = "900ms")
        @MaxLatencyDrift(max = "20%")
        void slowsDown() {
            START.compareAndSet(0, System.nanoTime());
            // 100 us at the start, growing by 10 us per ms of the run: about 9 ms at the end.
            long elapsedMillis = (System.nanoTime() - START.get()) / 1_000_000;
            LockSupport.parkNanos(100_000 + elapsedMillis * 10_000);
        }
    }

    static class Steady {
        @LoadTest(agents = 2, duration = "600ms")
        @MaxLatencyDrift(max = "1000%")
        void steady(io.secrethub.perf.Agent agent) throws Exception {
            agent.time("get", () -> LockSupport.parkNanos(500_000));
        }
    }

    static class TooShort {
        @LoadTest(iterations = 3)
        @MaxLatencyDrift(max = "20%")
        void brief() {
        }
    }

    static class Malformed {
        static final AtomicInteger INVOCATIONS = new AtomicInteger();

        @LoadTest(iterations = 3)
        @MaxLatencyDrift(max = "4 %")
        void typo() {
            INVOCATIONS.incrementAndGet();
        }
    }
}
