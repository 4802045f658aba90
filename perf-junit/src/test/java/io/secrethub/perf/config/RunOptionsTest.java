package io.secrethub.perf.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunOptionsTest {

    @Test
    void defaults() {
        RunOptions options = RunOptions.from(ConfigurationSource.of(Map.of()));

        assertThat(options.resultsDir()).isEqualTo(Path.of("target/perf-results"));
        assertThat(options.progressInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.console()).isTrue();
        assertThat(options.baseline()).isEmpty();
        assertThat(options.baselineTolerancePercent()).isEqualTo(20);
        assertThat(options.baselineWrite()).isFalse();
        assertThat(options.slo()).isEqualTo(SloOptions.DEFAULT).isEqualTo(new SloOptions(0, false));
    }

    @Test
    void sloOptions() {
        assertThat(RunOptions.from(ConfigurationSource.of(Map.of("perf.slo.minSamples", "1000",
                "perf.slo.inconclusive", "FAIL"))).slo()).isEqualTo(new SloOptions(1000, true));
        assertThat(RunOptions.from(ConfigurationSource.of(Map.of("perf.slo.inconclusive", "report"))).slo())
                .isEqualTo(SloOptions.DEFAULT);
        assertThatThrownBy(() -> RunOptions.from(ConfigurationSource.of(Map.of("perf.slo.minSamples", "1e3"))))
                .hasMessage("Invalid configuration parameter perf.slo.minSamples = \"1e3\": expected a whole number"
                        + " of at least 0");
        assertThatThrownBy(() -> RunOptions.from(ConfigurationSource.of(Map.of("perf.slo.inconclusive", "skip"))))
                .hasMessage("Invalid configuration parameter perf.slo.inconclusive = \"skip\": expected report (the"
                        + " default) or fail");
    }

    @Test
    void everyOptionIsConfigurable() {
        RunOptions options = RunOptions.from(ConfigurationSource.of(Map.of(
                "perf.results.dir", "build/perf",
                "perf.progress.interval", "500ms",
                "perf.report.console", "FALSE",
                "perf.baseline", "perf-baseline.json",
                "perf.baseline.tolerance", "35%",
                "perf.baseline.write", "true")));

        assertThat(options.resultsDir()).isEqualTo(Path.of("build/perf"));
        assertThat(options.progressInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.console()).isFalse();
        assertThat(options.baseline()).contains(Path.of("perf-baseline.json"));
        assertThat(options.baselineTolerancePercent()).isEqualTo(35);
        assertThat(options.baselineWrite()).isTrue();
    }

    @Test
    void badValuesNameTheKeyAndTheValue() {
        assertThatThrownBy(() -> RunOptions.from(ConfigurationSource.of(Map.of("perf.report.console", "yes"))))
                .hasMessage("Invalid configuration parameter perf.report.console = \"yes\": expected true or false");
        assertThatThrownBy(() -> RunOptions.from(ConfigurationSource.of(Map.of("perf.progress.interval", "0"))))
                .hasMessage("Invalid configuration parameter perf.progress.interval = \"0\": expected a duration"
                        + " greater than 0");
        assertThatThrownBy(() -> RunOptions.from(ConfigurationSource.of(Map.of("perf.baseline.tolerance", "lots"))))
                .hasMessage("Invalid configuration parameter perf.baseline.tolerance = \"lots\": expected a number"
                        + " of at least 0");
    }
}
