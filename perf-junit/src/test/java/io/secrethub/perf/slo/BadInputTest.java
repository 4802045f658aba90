package io.secrethub.perf.slo;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.LoadTest;
import io.secrethub.perf.MaxErrorRate;
import io.secrethub.perf.MaxLatencyDrift;
import io.secrethub.perf.MaxPercentile;
import io.secrethub.perf.testkit.FixtureResults;
import io.secrethub.perf.testkit.FixtureRun;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A malformed percentile or percentage fails its own test, through the engine as a build runs it, with the
 * annotation, the method and the text, before any load runs (sizes, durations and windows: AllocationBudgetTest,
 * GcPauseBudgetTest, WindowedSloTest, SloGateTest).
 */
class BadInputTest {

    @Test
    void eachMalformedAnnotationFailsItsTestBeforeAnyLoad() {
        FixtureResults results = FixtureRun.of(Bad.class).execute();

        assertThat(results.failureMessages()).containsExactlyInAnyOrder(
                "Invalid @MaxPercentile(percentile = 150, max = \"1s\") on BadInputTest.Bad.percentileAbove100():"
                        + " percentile must be above 0 and at most 100",
                "Invalid @MaxErrorRate(150) on BadInputTest.Bad.errorRateAbove100(): expected a percentage from 0"
                        + " to 100",
                "Invalid @MaxLatencyDrift(percentile = 95, max = \"20 %\") on BadInputTest.Bad.spacedPercentage():"
                        + " expected a percentage such as \"20%\" (digits, then %, no space)");
        assertThat(Bad.INVOCATIONS).hasValue(0);
    }

    static class Bad {
        static final AtomicInteger INVOCATIONS = new AtomicInteger();

        @LoadTest(iterations = 5)
        @MaxPercentile(percentile = 150, max = "1s")
        void percentileAbove100() {
            INVOCATIONS.incrementAndGet();
        }

        @LoadTest(iterations = 5)
        @MaxErrorRate(150)
        void errorRateAbove100() {
            INVOCATIONS.incrementAndGet();
        }

        @LoadTest(iterations = 5)
        @MaxLatencyDrift(percentile = 95, max = "20 %")
        void spacedPercentage() {
            INVOCATIONS.incrementAndGet();
        }
    }
}
