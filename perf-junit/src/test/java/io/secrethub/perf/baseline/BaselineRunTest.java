package io.secrethub.perf.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.FixtureRun;
import io.secrethub.perf.LoadTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** The regression gate in a real run: record a baseline, then catch a 2x slowdown and pass an equal run. */
class BaselineRunTest {

    static volatile int sleepMillis;

    @Test
    void catchesATwofoldRegressionAndPassesAnEqualRun(@TempDir Path directory) {
        Path baseline = directory.resolve("perf-baseline.json");

        sleepMillis = 40;
        run(baseline, true).testEvents().assertStatistics(stats -> stats.succeeded(1));
        assertThat(BaselineFile.read(baseline)).containsOnlyKeys(Sleeper.class.getName() + "#sleeps");

        sleepMillis = 80;
        Throwable regression = FixtureRun.onlyFailure(run(baseline, false));
        assertThat(regression.getMessage())
                .startsWith("sleeps: regression: p50 ")
                .containsPattern("p50 [0-9.]+ ms vs [0-9.]+ ms in the baseline \\(\\+[0-9.]+%, tolerance 60%\\)")
                .containsPattern("regression: mean [0-9.]+ ms vs [0-9.]+ ms in the baseline");

        sleepMillis = 40;
        // The tolerance is generous because the machine is shared (a p99 of 20 samples is their maximum); a 2x
        // regression still stands out.
        run(baseline, false).testEvents().assertStatistics(stats -> stats.succeeded(1));
    }

    @Test
    void aMethodMissingFromTheBaselinePasses(@TempDir Path directory) {
        Path baseline = directory.resolve("perf-baseline.json");
        BaselineFile.record(baseline, "some.OtherTest#method",
                BaselineEntry.of(io.secrethub.perf.SampleResults.result("some.OtherTest", "method", 1, 0,
                        java.time.Duration.ofSeconds(1), io.secrethub.perf.LatencyStats.EMPTY, java.util.List.of(),
                        java.util.List.of()), "other"));
        sleepMillis = 1;

        run(baseline, false).testEvents().assertStatistics(stats -> stats.succeeded(1));
    }

    @Test
    void aMissingBaselineFileFailsSayingHowToRecordOne(@TempDir Path directory) {
        Path baseline = directory.resolve("missing.json");
        sleepMillis = 1;

        Throwable failure = FixtureRun.onlyFailure(run(baseline, false));

        assertThat(failure.getMessage()).isEqualTo("sleeps: baseline file " + baseline + " (perf.baseline) does not"
                + " exist; record one with -Dperf.baseline.write=true");
        assertThat(Files.exists(baseline)).isFalse();
    }

    private static EngineExecutionResults run(Path baseline, boolean write) {
        return FixtureRun.of(Sleeper.class)
                .with("perf.baseline", baseline.toString())
                .with("perf.baseline.write", Boolean.toString(write))
                .with("perf.baseline.tolerance", "60%")
                .execute();
    }

    static class Sleeper {
        @LoadTest(agents = 2, iterations = 10)
        void sleeps() throws InterruptedException {
            Thread.sleep(sleepMillis);
        }
    }
}
