package io.secrethub.perf.baseline;

import static io.secrethub.perf.SampleResults.latencyMillis;
import static io.secrethub.perf.SampleResults.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.LoadTestResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineGateTest {

    private static final LoadTestResult BASE = result("com.example.ReadsTest", "reads", 1_000, 0,
            Duration.ofSeconds(2), latencyMillis(1_000, 6, 1, 5, 10, 20, 30), List.of(), List.of());

    @Test
    void anEqualRunPasses() {
        assertThat(BaselineGate.compare(BASE, BaselineEntry.of(BASE, "same"), 20)).isEmpty();
    }

    @Test
    void twiceTheLatencyIsARegressionOfEveryLatencyFigure() {
        LoadTestResult slower = result("com.example.ReadsTest", "reads", 1_000, 0, Duration.ofSeconds(2),
                latencyMillis(1_000, 12, 2, 10, 20, 40, 60), List.of(), List.of());

        List<Regression> regressions = BaselineGate.compare(slower, BaselineEntry.of(BASE, "base"), 20);

        assertThat(regressions).extracting(Regression::describe).containsExactly(
                "p50 10 ms vs 5 ms in the baseline (+100%, tolerance 20%)",
                "p95 20 ms vs 10 ms in the baseline (+100%, tolerance 20%)",
                "p99 40 ms vs 20 ms in the baseline (+100%, tolerance 20%)",
                "mean 12 ms vs 6 ms in the baseline (+100%, tolerance 20%)");
    }

    @Test
    void changesWithinTheToleranceAreNotRegressions() {
        LoadTestResult bitSlower = result("com.example.ReadsTest", "reads", 900, 0, Duration.ofSeconds(2),
                latencyMillis(900, 7.1, 1, 5.9, 11.9, 23.9, 30), List.of(), List.of());

        assertThat(BaselineGate.compare(bitSlower, BaselineEntry.of(BASE, "base"), 20)).isEmpty();
    }

    @Test
    void halvedThroughputAndNewErrorsAreRegressions() {
        LoadTestResult degraded = result("com.example.ReadsTest", "reads", 450, 50, Duration.ofSeconds(2),
                latencyMillis(450, 6, 1, 5, 10, 20, 30), List.of(), List.of());

        assertThat(BaselineGate.compare(degraded, BaselineEntry.of(BASE, "base"), 20))
                .extracting(Regression::describe).containsExactly(
                        "throughput 225/s vs 500/s in the baseline (-55%, tolerance 20%)",
                        "error rate 10% vs 0% in the baseline (up from 0, tolerance 20%)");
    }

    @Test
    void recordingMergesPerMethodAndReadsBack(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("baseline.json");
        BaselineFile.record(file, "b.Test#one", BaselineEntry.of(BASE, "first"));
        BaselineFile.record(file, "a.Test#two", BaselineEntry.of(BASE, "second"));
        BaselineFile.record(file, "b.Test#one", BaselineEntry.of(BASE, "replaced"));

        assertThat(BaselineFile.read(file)).containsOnlyKeys("a.Test#two", "b.Test#one");
        assertThat(BaselineFile.read(file).get("b.Test#one").settings()).isEqualTo("replaced");
        assertThat(BaselineFile.read(file).get("a.Test#two")).isEqualTo(BaselineEntry.of(BASE, "second"));
        assertThat(Files.readString(file)).as("sorted, for small diffs")
                .containsSubsequence("a.Test#two", "b.Test#one");
    }
}
