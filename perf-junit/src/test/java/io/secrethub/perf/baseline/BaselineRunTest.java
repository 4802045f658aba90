package io.secrethub.perf.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.LoadTest;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.testkit.FixtureResults;
import io.secrethub.perf.testkit.FixtureRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The regression gate in a real run: record a baseline, then catch a 2x slowdown and pass an equal run. */
class BaselineRunTest {

    static volatile int sleepMillis;

    @Test
    void catchesATwofoldRegressionAndPassesAnEqualRun(@TempDir Path directory) {
        Path baseline = directory.resolve("perf-baseline.json");

        String key = BaselineFile.key(Sleeper.class.getName(), "sleeps");

        sleepMillis = 40;
        FixtureResults recording = run(baseline, true);
        recording.testEvents().assertStatistics(stats -> stats.succeeded(1));
        assertThat(BaselineFile.read(baseline)).containsOnlyKeys(key);
        LoadTestResult recorded = recording.result("sleeps");
        assertThat(BaselineFile.read(baseline).get(key)).as("the run's own figures")
                .extracting(BaselineEntry::p50Nanos, BaselineEntry::p99Nanos, BaselineEntry::meanNanos,
                        BaselineEntry::throughput)
                .containsExactly(recorded.latency().p50Nanos(), recorded.latency().p99Nanos(),
                        recorded.latency().meanNanos(), recorded.throughput());

        // Against a baseline of 20 ms, sleeps of at least 40 ms are a twofold regression however loaded the machine
        // is; comparing two measured runs would depend on how evenly the shared machine ran them.
        BaselineFile.record(baseline, key, entry(Duration.ofMillis(20)));
        Throwable regression = run(baseline, false).onlyFailure();
        assertThat(regression.getMessage())
                .startsWith("sleeps: regression: p50 ")
                .containsPattern("p50 [0-9.]+ ms vs 20 ms in the baseline \\(\\+[0-9.]+%, tolerance 60%\\)")
                .containsPattern("regression: mean [0-9.]+ ms vs 20 ms in the baseline");

        // A run no slower than its baseline passes: 40 ms sleeps against a baseline of a minute.
        BaselineFile.record(baseline, key, entry(Duration.ofMinutes(1)));
        run(baseline, false).testEvents().assertStatistics(stats -> stats.succeeded(1));
    }

    /** A baseline whose every latency figure is {@code latency}, at a throughput any run reaches. */
    private static BaselineEntry entry(Duration latency) {
        long nanos = latency.toNanos();
        return new BaselineEntry(nanos, nanos, nanos, nanos, 0.001, 0, "2026-01-01T00:00:00Z", "hand-made");
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

        Throwable failure = run(baseline, false).onlyFailure();

        assertThat(failure.getMessage()).isEqualTo("sleeps: baseline file " + baseline + " (perf.baseline) does not"
                + " exist; record one with -Dperf.baseline.write=true");
        assertThat(Files.exists(baseline)).isFalse();
    }

    private static FixtureResults run(Path baseline, boolean write) {
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
