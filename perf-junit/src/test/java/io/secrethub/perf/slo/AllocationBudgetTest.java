package io.secrethub.perf.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.secrethub.perf.LoadTest;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.MaxAllocationPerOp;
import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.testkit.FixtureResults;
import io.secrethub.perf.testkit.FixtureRun;
import io.secrethub.perf.units.Sizes;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code @MaxAllocationPerOp}: the agents' own allocation counters, per invocation, against the budget. */
class AllocationBudgetTest {

    @Test
    void aMethodThatAllocates64KBPerCallBreachesA4KBBudget() {
        FixtureResults results = FixtureRun.of(Allocating.class).with("perf.threads", "platform").execute();

        SloOutcome budget = results.result("allocates").slos().get(0);
        assertThat(budget.metric()).isEqualTo("allocation per op");
        assertThat(budget.target()).isEqualTo("4 KB");
        assertThat(results.failureMessages()).singleElement().asString()
                .matches("allocates: allocation per op 6[4-9](\\.[0-9]+)? KB > 4 KB \\(@MaxAllocationPerOp\\)");
    }

    @Test
    void theEngineItselfAllocatesNothingPerInvocation() {
        FixtureResults results = FixtureRun.of(Lean.class).with("perf.threads", "platform").execute();

        LoadTestResult result = results.result("allocatesNothing");
        assertThat(results.failureMessages()).isEmpty();
        assertThat(result.slos().get(0).passed()).as(result.slos().get(0).measured()).isTrue();
    }

    @Test
    void onVirtualThreadsTheBudgetSaysItCouldNotMeasure() {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need Java 21+");
        FixtureResults results = FixtureRun.of(Lean.class).with("perf.threads", "virtual").execute();

        assertThat(results.failureMessages()).singleElement().asString()
                .startsWith("allocatesNothing: allocation per op not measured: the JVM keeps no allocation count");
    }

    @Test
    void aMalformedSizeFailsBeforeAnyLoadRuns() {
        FixtureResults results = FixtureRun.of(Spaced.class).execute();

        assertThat(results.failureMessages()).containsExactly("Invalid @MaxAllocationPerOp(\"4 KB\") on"
                + " AllocationBudgetTest.Spaced.spaced(): " + Sizes.EXPECTED);
        assertThat(Spaced.INVOCATIONS).hasValue(0);
    }

    static class Allocating {
        static volatile byte[] sink;

        @LoadTest(agents = 2, iterations = 200)
        @MaxAllocationPerOp("4KB")
        void allocates() {
            sink = new byte[64 * 1024];
        }
    }

    static class Lean {
        static volatile long sink;

        @LoadTest(agents = 2, iterations = 20_000)
        @MaxAllocationPerOp("64B")
        void allocatesNothing() {
            sink++;
        }
    }

    static class Spaced {
        static final AtomicInteger INVOCATIONS = new AtomicInteger();

        @LoadTest
        @MaxAllocationPerOp("4 KB")
        void spaced() {
            INVOCATIONS.incrementAndGet();
        }
    }
}
