package io.secrethub.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.perf.testkit.FixtureResults;
import io.secrethub.perf.testkit.FixtureRun;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/** A {@link LoadTestResult} reaches {@code @AfterEach}, and {@link PerfAssertions} checks it. */
class ResultInjectionTest {

    @Test
    void theResultReachesAfterEach() {
        FixtureResults run = FixtureRun.of(Captures.class).execute();
        run.testEvents().assertStatistics(stats -> stats.succeeded(1));

        LoadTestResult result = run.result("timesTwoOperations");
        assertThat(result.testClass()).isEqualTo(Captures.class.getName());
        assertThat(result.name()).isEqualTo("ResultInjectionTest.Captures.timesTwoOperations");
        assertThat(result.operations()).extracting(OperationStats::name).containsExactly("get", "put");
        assertThat(run.resultSeenByAfterEach("timesTwoOperations"))
                .as("what @AfterEach received is the method's result").isEqualTo(result.toString());
    }

    @Test
    void perfAssertionsPassOnAMetResultAndFailOnABreach() {
        LoadTestResult result = FixtureRun.of(Captures.class).execute().result("timesTwoOperations");

        // Each bound is the measured figure itself: met exactly, however fast or slow the machine ran.
        LatencyStats latency = result.latency();
        PerfAssertions.assertThat(result)
                .metAllSlos()
                .hasInvocationCount(20)
                .hasSuccessCount(20)
                .hasNoErrors()
                .hasErrorRateAtMost(0)
                .hasThroughputAtLeast(result.throughput())
                .hasP50AtMost(latency.p50())
                .hasP95AtMost(latency.p95())
                .hasP99AtMost(latency.p99())
                .hasMeanLatencyAtMost(latency.mean())
                .hasMaxLatencyAtMost(latency.max())
                .hasOperation("get")
                .hasOperationP95AtMost("put", result.operation("put").orElseThrow().latency().p95());

        assertThatThrownBy(() -> PerfAssertions.assertThat(result).hasP95AtMost(Duration.ofNanos(1)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("ResultInjectionTest.Captures.timesTwoOperations")
                .hasMessageContaining("p95 latency of at most 1 ns");
        assertThatThrownBy(() -> PerfAssertions.assertThat(result).hasThroughputAtLeast(1e12))
                .isInstanceOf(AssertionError.class).hasMessageContaining("throughput of at least");
        assertThatThrownBy(() -> PerfAssertions.assertThat(result).hasOperation("delete"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("[get, put]");
    }

    @Test
    void aPerfAssertionInAfterEachFailsTheTest() {
        Throwable failure = FixtureRun.of(AssertsInAfterEach.class).execute().onlyFailure();

        assertThat(failure).isInstanceOf(AssertionError.class);
        assertThat(failure.getMessage()).contains("to have 1,000 invocations but it had 5");
    }

    @Test
    void aResultParameterOutsideALoadTestFailsToResolve() {
        Throwable failure = FixtureRun.of(ResultWithoutLoad.class).execute().onlyFailure();

        assertThat(failure.getMessage()).contains("No ParameterResolver registered for parameter");
    }

    static class Captures {
        @LoadTest(agents = 2, iterations = 10)
        @MaxP99("1s")
        void timesTwoOperations(Agent agent) throws Exception {
            String value = agent.time("get", () -> "v" + agent.iteration());
            agent.time("put", () -> agent.state().put("last", value));
        }

        @AfterEach
        void publish(LoadTestResult result, TestReporter reporter) {
            reporter.publishEntry(FixtureResults.AFTER_EACH_RESULT, result.toString());
        }
    }

    static class AssertsInAfterEach {
        @LoadTest(iterations = 5)
        void fewerThanExpected() {
        }

        @AfterEach
        void check(LoadTestResult result) {
            PerfAssertions.assertThat(result).hasInvocationCount(1000);
        }
    }

    static class ResultWithoutLoad {
        @Test
        void plainTest() {
        }

        @AfterEach
        void check(LoadTestResult result) {
        }
    }
}
