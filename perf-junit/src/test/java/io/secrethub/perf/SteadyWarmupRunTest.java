package io.secrethub.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.testkit.FixtureResults;
import io.secrethub.perf.testkit.FixtureRun;
import io.secrethub.perf.testkit.Stdout;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code warmup = "steady"} through the JUnit Platform: a method whose speed does not change warms up until the rule
 * says steady, one whose speed keeps rising warms up to its limit and is reported as not steady.
 */
class SteadyWarmupRunTest {

    static final AtomicLong WARM_UP_AND_MEASURED = new AtomicLong();

    @BeforeEach
    void reset() {
        WARM_UP_AND_MEASURED.set(0);
    }

    @Test
    void anEvenPaceIsSteadyAfterTheRulesSevenWindowsAndSaysSo() {
        Stdout.Captured<FixtureResults> captured = Stdout.capture(() -> withConsole(EvenPace.class).execute());
        captured.value().testEvents().assertStatistics(stats -> stats.succeeded(1));

        LoadTestResult result = captured.value().result("evenPace");
        assertThat(result.settings().warmupUntilSteady()).isTrue();
        assertThat(result.settings().warmupDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(result.warmup().steady()).as(result.warmup().describe()).isTrue();
        // Six windows to compare, and the rule must hold at two checks in a row: never sooner than 7 s.
        assertThat(result.warmup().duration()).isGreaterThanOrEqualTo(Duration.ofSeconds(7));
        assertThat(result.invocationCount()).isEqualTo(2 * 20);
        assertThat(WARM_UP_AND_MEASURED.get()).as("warm-up calls besides the measured ones").isGreaterThan(2 * 20);
        assertThat(captured.printed()).contains("warm-up until steady (at most 30 s)")
                .contains("   warm-up: steady after ");
    }

    @Test
    void aPaceThatKeepsRisingReachesTheLimitAndIsReportedNotSteady() {
        RisingPace.FIRST_CALL.set(0);
        Stdout.Captured<FixtureResults> captured = Stdout.capture(() -> withConsole(RisingPace.class).execute());
        captured.value().testEvents().assertStatistics(stats -> stats.succeeded(1));

        LoadTestResult result = captured.value().result("risingPace");
        assertThat(result.warmup().untilSteady()).isTrue();
        assertThat(result.warmup().steady()).as(result.warmup().describe()).isFalse();
        assertThat(result.warmup().duration()).isGreaterThanOrEqualTo(Duration.ofSeconds(8));
        assertThat(captured.printed()).contains("WARNING: warm-up not steady after ").contains("measured anyway");
    }

    @Test
    void aSteadyWarmUpWithoutALimitOfItsOwnGetsSixtySecondsAndABadOneIsNamed() {
        FixtureResults run = FixtureRun.of(BadSteady.class).execute();
        assertThat(run.failureMessages()).singleElement().asString().contains("warmup")
                .contains("\"steady\" or \"steady:30s\"");
    }

    private static FixtureRun withConsole(Class<?> fixture) {
        return FixtureRun.of(fixture).with("perf.report.console", "true");
    }

    static class EvenPace {
        @LoadTest(agents = 2, iterations = 20, warmup = "steady:30s")
        void evenPace() throws InterruptedException {
            WARM_UP_AND_MEASURED.incrementAndGet();
            Thread.sleep(2);
        }
    }

    static class RisingPace {
        static final AtomicLong FIRST_CALL = new AtomicLong();

        /**
         * Each call takes 40 ms at first and 5 ms less every second after: the throughput keeps rising through the 8 s
         * limit (every 3-second mean at least 25% above the one before), however the watcher's windows fall.
         */
        @LoadTest(agents = 2, iterations = 5, warmup = "steady:8s")
        void risingPace() throws InterruptedException {
            long now = System.nanoTime();
            FIRST_CALL.compareAndSet(0, now);
            long elapsedMillis = (now - FIRST_CALL.get()) / 1_000_000;
            Thread.sleep(Math.max(2, 40 - elapsedMillis / 200));
        }
    }

    static class BadSteady {
        @LoadTest(iterations = 1, warmup = "steady:soon")
        void badSteady() {
        }
    }
}
