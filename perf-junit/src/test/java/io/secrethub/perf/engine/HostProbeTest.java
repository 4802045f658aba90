package io.secrethub.perf.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host probe's own parts; its place in the reports is {@code diagnostics.HostProbeTest}'s. */
class HostProbeTest {

    @Test
    void measuresBothProbesAndLeavesNoFileBehind(@TempDir Path directory) throws Exception {
        var sample = HostProbe.measure(directory.resolve("results"), Duration.ofMillis(20));

        assertThat(sample.measured()).isTrue();
        assertThat(sample.hashesPerSecond()).as("at least one digest in 20 ms").isGreaterThanOrEqualTo(50);
        assertThat(sample.syncsPerSecond()).as("at least one sync in 20 ms").isGreaterThanOrEqualTo(1);
        try (var files = Files.list(directory.resolve("results"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aDirectoryItCannotWriteInFailsNamingTheSettingAndTheDirectory(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("not-a-directory"), "x");
        Path inside = file.resolve("results");

        assertThatThrownBy(() -> HostProbe.measure(inside, Duration.ofMillis(20)))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("perf.hostProbe: cannot write its probe file in " + inside)
                .hasMessageContaining("perf.results.dir");
    }
}
