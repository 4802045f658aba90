package io.secrethub.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.secrethub.perf.testkit.FixtureResults;
import io.secrethub.perf.testkit.FixtureRun;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The closed model runs exactly what it is told to, and measures only the measured part. */
class ClosedModelTest {

    @BeforeEach
    void reset() {
        Fixtures.reset();
    }

    @Test
    void runsExactlyAgentsTimesIterationsInvocations() {
        FixtureResults run = FixtureRun.of(ExactCount.class).execute();
        run.testEvents().assertStatistics(stats -> stats.succeeded(1));

        assertThat(Fixtures.CALLS).hasValue(4 * 250);
        for (int agent = 0; agent < 4; agent++) {
            assertThat(Fixtures.CALLS_BY_AGENT.get(agent)).as("agent %d", agent).isEqualTo(250);
        }
        LoadTestResult result = run.result("counts");
        assertThat(result.invocationCount()).isEqualTo(1000);
        assertThat(result.successCount()).isEqualTo(1000);
        assertThat(result.latency().count()).isEqualTo(1000);
        assertThat(result.settings().agents()).isEqualTo(4);
        assertThat(result.settings().iterations()).isEqualTo(250);
    }

    @Test
    void warmUpIterationsAreExcludedFromEveryStatistic() {
        FixtureResults run = FixtureRun.of(WarmUpIterations.class).execute();
        run.testEvents().assertStatistics(stats -> stats.succeeded(1));

        assertThat(Fixtures.CALLS).as("warm-up and measured calls").hasValue(2 * (3 + 20));
        LoadTestResult result = run.result("warmsUpFirst");
        assertThat(result.invocationCount()).isEqualTo(2 * 20);
        assertThat(result.latency().count()).as("the warm-up calls are not in the histogram").isEqualTo(2 * 20);
        assertThat(result.operations()).extracting(OperationStats::name)
                .as("what warm-up calls time is not recorded either").containsExactly("measured");
        assertThat(result.operation("measured").orElseThrow().successes()).isEqualTo(2 * 20);
    }

    @Test
    void warmUpCanBeADuration() {
        FixtureResults run = FixtureRun.of(WarmUpDuration.class).execute();
        run.testEvents().assertStatistics(stats -> stats.succeeded(1));

        LoadTestResult result = run.result("warmsUpFor200ms");
        assertThat(result.settings().warmupDuration()).isEqualTo(Duration.ofMillis(200));
        assertThat(result.invocationCount()).isEqualTo(10);
        assertThat(Fixtures.CALLS.get()).as("warm-up ran besides the 10 measured calls").isGreaterThan(10);
    }

    @Test
    void beforeAgentRunsOncePerAgentAndIsNotMeasured() {
        FixtureResults run = FixtureRun.of(SlowSetUp.class).execute();
        run.testEvents().assertStatistics(stats -> stats.succeeded(1));

        assertThat(Fixtures.SET_UPS).hasValue(3);
        assertThat(Fixtures.SET_UP_AGENTS).containsOnlyKeys(0, 1, 2);
        LoadTestResult result = run.result("afterSlowSetUp");
        assertThat(result.invocationCount()).isEqualTo(30);
        assertThat(result.latency().count()).as("set-ups are not invocations").isEqualTo(30);
        assertThat(Fixtures.CALLS_BEFORE_ALL_SET_UPS).as("the measured part (and its wall time) starts after every"
                + " set-up").hasValue(0);
    }

    @Test
    void agentsStartTogetherBehindTheBarrier() {
        FixtureRun.of(StaggeredSetUp.class).execute().testEvents().assertStatistics(stats -> stats.succeeded(1));

        // Set-ups end 300 ms apart; without the barrier agent 0 would call before agents 1 and 2 were set up.
        assertThat(Fixtures.SET_UPS_SEEN_AT_FIRST_CALL).containsOnly(entry(0, 3), entry(1, 3), entry(2, 3));
    }

    @Test
    void rampUpStaggersTheAgentStarts() {
        FixtureResults run = FixtureRun.of(RampedUp.class).execute();
        run.testEvents().assertStatistics(stats -> stats.succeeded(1));

        // Agents start 0, 250, 500, 750 ms after the barrier; each waits at least that long, so only a 250 ms
        // delay in starting agent 0 could shrink the spread below 500 ms.
        assertThat(Duration.ofNanos(spreadOfFirstCalls(4))).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(run.result("ramped").settings().rampUp()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void durationRunsUntilTheEndAndCountsEveryInvocation() {
        FixtureResults run = FixtureRun.of(ForADuration.class).execute();
        run.testEvents().assertStatistics(stats -> stats.succeeded(1));

        LoadTestResult result = run.result("forHalfASecond");
        assertThat(result.wallTime()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(result.invocationCount()).isEqualTo(Fixtures.CALLS.get()).isPositive();
        assertThat(result.throughput()).isCloseTo(result.successCount() / (result.wallTime().toNanos() / 1e9),
                org.assertj.core.data.Percentage.withPercentage(0.001));
    }

    @Test
    void agentRandomIsReproducibleFromTheSeed() {
        FixtureRun.of(DrawsRandom.class).with("perf.seed", "42").execute();
        Map<Integer, Long> first = Map.copyOf(Fixtures.DRAWS);
        Fixtures.reset();
        FixtureRun.of(DrawsRandom.class).with("perf.seed", "42").execute();
        Map<Integer, Long> second = Map.copyOf(Fixtures.DRAWS);
        Fixtures.reset();
        FixtureResults run = FixtureRun.of(DrawsRandom.class).with("perf.seed", "43").execute();
        Map<Integer, Long> otherSeed = Map.copyOf(Fixtures.DRAWS);

        assertThat(first).hasSize(3).isEqualTo(second).isNotEqualTo(otherSeed);
        assertThat(first.values()).as("each agent draws its own numbers").doesNotHaveDuplicates();
        assertThat(run.result("draws").settings().seed()).isEqualTo(43);
    }

    private static long spreadOfFirstCalls(int agents) {
        assertThat(Fixtures.FIRST_CALL_NANOS).hasSize(agents);
        long earliest = Fixtures.FIRST_CALL_NANOS.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        long latest = Fixtures.FIRST_CALL_NANOS.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        return latest - earliest;
    }

    static final class Fixtures {
        static final AtomicInteger CALLS = new AtomicInteger();
        static final AtomicIntegerArray CALLS_BY_AGENT = new AtomicIntegerArray(16);
        static final AtomicInteger SET_UPS = new AtomicInteger();
        static final AtomicInteger CALLS_BEFORE_ALL_SET_UPS = new AtomicInteger();
        static final Map<Integer, Integer> SET_UPS_SEEN_AT_FIRST_CALL = new ConcurrentHashMap<>();
        static final Map<Integer, Boolean> SET_UP_AGENTS = new ConcurrentHashMap<>();
        static final Map<Integer, Long> FIRST_CALL_NANOS = new ConcurrentHashMap<>();
        static final Map<Integer, Long> DRAWS = new ConcurrentHashMap<>();

        static void reset() {
            CALLS.set(0);
            for (int i = 0; i < CALLS_BY_AGENT.length(); i++) {
                CALLS_BY_AGENT.set(i, 0);
            }
            SET_UPS.set(0);
            CALLS_BEFORE_ALL_SET_UPS.set(0);
            SET_UPS_SEEN_AT_FIRST_CALL.clear();
            SET_UP_AGENTS.clear();
            FIRST_CALL_NANOS.clear();
            DRAWS.clear();
        }

        static void firstCall(Agent agent) {
            FIRST_CALL_NANOS.putIfAbsent(agent.id(), System.nanoTime());
        }
    }

    static class ExactCount {
        @LoadTest(agents = 4, iterations = 250)
        void counts(Agent agent) {
            Fixtures.CALLS.incrementAndGet();
            Fixtures.CALLS_BY_AGENT.incrementAndGet(agent.id());
        }
    }

    static class WarmUpIterations {
        @LoadTest(agents = 2, iterations = 20, warmup = "3")
        void warmsUpFirst(Agent agent) throws Exception {
            Fixtures.CALLS.incrementAndGet();
            // An agent's warm-up calls come first: its first three calls are the warm-up.
            boolean warmUp = Fixtures.CALLS_BY_AGENT.incrementAndGet(agent.id()) <= 3;
            agent.time(warmUp ? "warm-up" : "measured", () -> Fixtures.CALLS.get());
        }
    }

    static class WarmUpDuration {
        @LoadTest(iterations = 10, warmup = "200ms")
        void warmsUpFor200ms() throws InterruptedException {
            Fixtures.CALLS.incrementAndGet();
            Thread.sleep(1);
        }
    }

    static class SlowSetUp {
        @BeforeAgent
        void logIn(Agent agent) throws InterruptedException {
            Thread.sleep(200);
            Fixtures.SET_UP_AGENTS.put(agent.id(), true);
            Fixtures.SET_UPS.incrementAndGet();
        }

        @LoadTest(agents = 3, iterations = 10)
        void afterSlowSetUp() {
            Fixtures.CALLS.incrementAndGet();
            if (Fixtures.SET_UPS.get() < 3) {
                Fixtures.CALLS_BEFORE_ALL_SET_UPS.incrementAndGet();
            }
        }
    }

    static class StaggeredSetUp {
        @BeforeAgent
        void setUpForLonger(Agent agent) throws InterruptedException {
            Thread.sleep(300L * agent.id());
            Fixtures.SET_UPS.incrementAndGet();
        }

        @LoadTest(agents = 3)
        void startsTogether(Agent agent) {
            Fixtures.SET_UPS_SEEN_AT_FIRST_CALL.putIfAbsent(agent.id(), Fixtures.SET_UPS.get());
        }
    }

    static class RampedUp {
        @LoadTest(agents = 4, rampUp = "1s")
        void ramped(Agent agent) {
            Fixtures.firstCall(agent);
        }
    }

    static class ForADuration {
        @LoadTest(agents = 2, duration = "300ms")
        void forHalfASecond() throws InterruptedException {
            Fixtures.CALLS.incrementAndGet();
            Thread.sleep(1);
        }
    }

    static class DrawsRandom {
        @LoadTest(agents = 3)
        void draws(Agent agent) {
            Fixtures.DRAWS.put(agent.id(), agent.random().nextLong());
        }
    }
}
