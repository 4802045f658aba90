package io.secrethub.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.testkit.FixtureResults;
import io.secrethub.perf.testkit.FixtureRun;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The open model measures from each arrival's intended start, so a stall shows in the percentiles (no
 * coordinated omission), while the service time shows what the method itself took.
 */
class OpenModelTest {

    @BeforeEach
    void reset() {
        CALLS.set(0);
    }

    static final AtomicInteger CALLS = new AtomicInteger();

    @Test
    void aStallShowsInTheLatencyPercentilesButNotInTheServiceTime() {
        FixtureResults run = FixtureRun.of(StallsOnce.class).execute();
        run.testEvents().assertStatistics(stats -> stats.succeeded(1));

        LoadTestResult result = run.result("stallsOnce");
        // 200/s for 3 s is 600 arrivals; the 100 that pile up behind the stall are late, none is dropped.
        assertThat(result.invocationCount()).isEqualTo(600);
        assertThat(CALLS).hasValue(600);
        assertThat(result.latency().p99()).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(result.serviceTime().p99Nanos()).as("one slow call is not the service's 99th percentile")
                .isLessThan(result.latency().p99Nanos());
        assertThat(result.serviceTime().max()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(result.maxScheduleLag()).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void iterationsSetTheNumberOfArrivals() {
        FixtureResults run = FixtureRun.of(Scheduled.class).execute();
        run.testEvents().assertStatistics(stats -> stats.succeeded(1));

        LoadTestResult result = run.result("scheduled");
        assertThat(result.invocationCount()).isEqualTo(2 * 25);
        // The 50th arrival is due 49 ms after the start at 1,000/s; the schedule cannot be beaten.
        assertThat(result.wallTime()).isGreaterThanOrEqualTo(Duration.ofMillis(49));
        assertThat(result.throughput()).isLessThanOrEqualTo(1_000 * 50.0 / 49);
    }

    @Test
    void busyAgentsMakeArrivalsWaitAndTheWaitCounts() {
        FixtureResults run = FixtureRun.of(Overloaded.class).execute();
        run.testEvents().assertStatistics(stats -> stats.succeeded(1));

        LoadTestResult result = run.result("tooSlowForTheRate");
        // Two agents at 20 ms each serve 100/s; 200/s arrive, so the queue grows by about 5 ms per arrival.
        assertThat(result.invocationCount()).isEqualTo(40);
        assertThat(result.maxScheduleLag()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(result.latency().p95Nanos()).isGreaterThan(result.serviceTime().p95Nanos());
        assertThat(result.latency().max()).isGreaterThanOrEqualTo(result.maxScheduleLag());
    }

    static class StallsOnce {
        // One agent, so the stall holds up every arrival behind it, as a stalled server would.
        @LoadTest(agents = 1, rate = 200, duration = "3s")
        void stallsOnce() throws InterruptedException {
            if (CALLS.incrementAndGet() == 100) {
                Thread.sleep(500);
            }
        }
    }

    static class Scheduled {
        @LoadTest(agents = 2, iterations = 25, rate = 1000)
        void scheduled() {
            CALLS.incrementAndGet();
        }
    }

    static class Overloaded {
        @LoadTest(agents = 2, iterations = 20, rate = 200)
        void tooSlowForTheRate() throws InterruptedException {
            Thread.sleep(20);
        }
    }
}
