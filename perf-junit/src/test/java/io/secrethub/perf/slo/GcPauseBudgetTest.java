package io.secrethub.perf.slo;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.LoadTest;
import io.secrethub.perf.MaxGcPause;
import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.testkit.FixtureResults;
import io.secrethub.perf.testkit.FixtureRun;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code @MaxGcPause}: the measured part's stop-the-world pauses, from the JVM's GC notifications. */
class GcPauseBudgetTest {

    @Test
    void fullCollectionsDuringTheRunBreachATinyBudgetWithTheMeasuredPause() {
        FixtureResults results = FixtureRun.of(Collecting.class).execute();

        SloOutcome budget = results.result("collects").slos().get(0);
        assertThat(budget.metric()).isEqualTo("max GC pause");
        assertThat(budget.measured()).as("one full collection per invocation, from the collectors' counters")
                .containsPattern("\\(([4-9]|[1-9][0-9]+) pauses");
        assertThat(budget.measured()).matches("[0-9.]+ m?s \\([0-9,]+ pauses, [0-9.]+ m?s in all\\)");
        assertThat(results.failureMessages()).singleElement().asString()
                .matches("collects: max GC pause [0-9.]+ m?s \\([0-9,]+ pauses, .+\\) > 1 us \\(@MaxGcPause\\)");
    }

    @Test
    void aMalformedBudgetFailsBeforeAnyLoadRuns() {
        FixtureResults results = FixtureRun.of(Malformed.class).execute();

        assertThat(results.failureMessages()).singleElement().asString()
                .startsWith("Invalid @MaxGcPause(\"-1ms\") on GcPauseBudgetTest.Malformed.negative(): ");
        assertThat(Malformed.invocations).isZero();
    }

    static class Collecting {
        /** Live data the full collections must mark and move, so each takes at least a millisecond. */
        private static final List<byte[]> LIVE = new ArrayList<>();

        @LoadTest(agents = 1, iterations = 4)
        @MaxGcPause("1us")
        void collects() {
            for (int i = 0; i < 2_000; i++) {
                LIVE.add(new byte[4 * 1024]);
            }
            System.gc();
        }
    }

    static class Malformed {
        static volatile int invocations;

        @LoadTest
        @MaxGcPause("-1ms")
        void negative() {
            invocations++;
        }
    }
}
