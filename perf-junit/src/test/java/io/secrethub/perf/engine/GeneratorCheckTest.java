package io.secrethub.perf.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.GeneratorHealth;
import io.secrethub.perf.LoadSettings;
import io.secrethub.perf.ThreadMode;
import io.secrethub.perf.config.GeneratorOptions;
import io.secrethub.perf.slo.MeasuredScope;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When the generator's CPU or schedule make it the bottleneck. */
class GeneratorCheckTest {

    private static final GeneratorOptions OPTIONS = new GeneratorOptions("r", "g", false, 10, 90);

    @Test
    void aSaturatedCpuMakesTheGeneratorTheBottleneck() {
        // 1.9 s of CPU in 1 s on 2 processors: 95%.
        GeneratorHealth health = GeneratorCheck.assess(outcome(1_900_000_000L, 0), settings(0), OPTIONS, 2);

        assertThat(health.processCpuPercent()).isEqualTo(95.0);
        assertThat(health.agentCpuPercent()).isEqualTo(-1);
        assertThat(health.bottleneck()).isEqualTo("CPU saturated: 95% of 2 processors (limit 90%,"
                + " perf.generator.maxCpu)");
    }

    @Test
    void aClosedModelRunIsNeverBehindSchedule() {
        GeneratorHealth health = GeneratorCheck.assess(outcome(100_000_000L, 900_000_000L), settings(0), OPTIONS, 2);

        assertThat(health.behindSchedulePercent()).isZero();
        assertThat(health.wasBottleneck()).isFalse();
    }

    @Test
    void anOpenModelRunBehindByMoreThanTheLimitIsFlagged() {
        GeneratorHealth health = GeneratorCheck.assess(outcome(100_000_000L, 200_000_000L), settings(100), OPTIONS,
                2);

        assertThat(health.behindSchedulePercent()).isEqualTo(20.0);
        assertThat(health.bottleneck()).isEqualTo("20% behind schedule (limit 10%, perf.generator.maxLag)");
    }

    private static RunOutcome outcome(long processCpu, long maxLag) {
        return new RunOutcome(Instant.EPOCH, 0, 1_000_000_000L, false, null, maxLag, 0, -1,
                MeasuredScope.GcFigures.NOT_MEASURED, processCpu, -1, -1, io.secrethub.perf.WarmupOutcome.FIXED);
    }

    private static LoadSettings settings(double rate) {
        return new LoadSettings(1, 1, Duration.ZERO, rate, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO, 1, 1,
                ThreadMode.PLATFORM);
    }
}
