package io.secrethub.perf.slo;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.LoadTest;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.MaxP99;
import io.secrethub.perf.MinThroughput;
import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.testkit.FixtureResults;
import io.secrethub.perf.testkit.FixtureRun;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** SLOs with a {@code window} hold in every window; {@code abortOnFailure} stops a run at the first breach. */
class WindowedSloTest {

    @Test
    void aStallBreachesItsWindowAndTheMessageNamesTheWorstWindow() {
        FixtureResults results = FixtureRun.of(Stall.class).execute();

        LoadTestResult result = results.result("stallsOnce");
        SloOutcome windowed = result.slos().get(0);
        assertThat(windowed.metric()).isEqualTo("p99 per 200 ms");
        assertThat(windowed.passed()).isFalse();
        assertThat(results.failureMessages()).singleElement().asString().matches("stallsOnce: p99 per 200 ms: "
                + "[0-9.]+ ms > 50 ms in the window [0-9.]+-[0-9.]+ s, the worst of [0-9]+ windows; [0-9]+ breached"
                + " \\(@MaxP99\\)");
    }

    @Test
    void abortOnFailureStopsALongRunAtTheFirstBreachedWindow() {
        FixtureResults results = FixtureRun.of(Doomed.class).execute();

        LoadTestResult result = results.result("cannotKeepUp");
        assertThat(result.wallTime()).as("stopped long before its 30 s, after its first window")
                .isBetween(Duration.ofMillis(200), Duration.ofSeconds(15));
        assertThat(results.failureMessages()).singleElement().asString()
                .startsWith("cannotKeepUp: stopped after ")
                .contains(" at the first breached window (@LoadTest abortOnFailure); throughput per 200 ms: ")
                .contains(" < 1,000,000,000/s in the window 0-0.2 s");
    }

    @Test
    void withoutAbortOnFailureTheRunGoesOnToTheEnd() {
        FixtureResults results = FixtureRun.of(Doomed.class).with("perf.abortOnFailure", "false")
                .with("perf.duration", "600ms").execute();

        assertThat(results.result("cannotKeepUp").wallTime()).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        assertThat(results.failureMessages()).singleElement().asString().doesNotContain("stopped after");
    }

    @Test
    void aMalformedWindowFailsBeforeAnyLoadRuns() {
        FixtureResults results = FixtureRun.of(BadWindows.class).execute();

        assertThat(results.failureMessages()).containsExactlyInAnyOrder(
                "Invalid @MaxP99(value = \"50ms\", window = \"-1ms\") on WindowedSloTest.BadWindows.negative():"
                        + " window: not a duration; " + io.secrethub.perf.units.Durations.EXPECTED,
                "Invalid @MinThroughput(value = 10, window = \"50ms\") on WindowedSloTest.BadWindows.tooFine():"
                        + " window must be at least 100ms, the finest the sampler keeps");
        assertThat(BadWindows.INVOCATIONS).hasValue(0);
    }

    static class Stall {
        private static final AtomicLong START = new AtomicLong();
        private static final AtomicBoolean STALLED = new AtomicBoolean();

        @LoadTest(agents = 1, duration = "1.4s")
        @MaxP99(value = "50ms", window = "200ms")
        void stallsOnce() {
            START.compareAndSet(0, System.nanoTime());
            if (System.nanoTime() - START.get() > 600_000_000 && STALLED.compareAndSet(false, true)) {
                LockSupport.parkNanos(300_000_000);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    static class Doomed {
        @LoadTest(agents = 1, duration = "30s", abortOnFailure = true)
        @MinThroughput(value = 1e9, window = "200ms")
        void cannotKeepUp() {
            LockSupport.parkNanos(1_000_000);
        }
    }

    static class BadWindows {
        static final AtomicInteger INVOCATIONS = new AtomicInteger();

        @LoadTest
        @MaxP99(value = "50ms", window = "-1ms")
        void negative() {
            INVOCATIONS.incrementAndGet();
        }

        @LoadTest
        @MinThroughput(value = 10, window = "50ms")
        void tooFine() {
            INVOCATIONS.incrementAndGet();
        }
    }
}
