package io.secrethub.perf.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The steady rule on hand-made windows: the last 3 seconds' mean within 5% of the 3 before. */
class SteadyWarmupTest {

    @Test
    void aFlatThroughputIsSteadyOnceThereAreSixWindows() {
        assertThat(SteadyWarmup.steady(List.of(1000L, 1010L, 990L, 1000L, 1020L))).as("five windows").isFalse();
        assertThat(SteadyWarmup.steady(List.of(1000L, 1010L, 990L, 1000L, 1020L, 980L))).isTrue();
    }

    @Test
    void aThroughputStillRisingIsNotSteady() {
        // The JIT at work: +10% every three seconds.
        assertThat(SteadyWarmup.steady(List.of(300L, 600L, 900L, 1000L, 1000L, 1000L, 1100L, 1100L, 1100L)))
                .isFalse();
        assertThat(SteadyWarmup.steady(List.of(1000L, 1000L, 1000L, 1060L, 1060L, 1060L))).as("+6%").isFalse();
        assertThat(SteadyWarmup.steady(List.of(1000L, 1000L, 1000L, 1040L, 1040L, 1040L))).as("+4%").isTrue();
    }

    @Test
    void aFallingThroughputIsNotSteadyEither() {
        assertThat(SteadyWarmup.steady(List.of(1000L, 1000L, 1000L, 900L, 900L, 900L))).isFalse();
    }

    @Test
    void windowsWithoutInvocationsAreNeverSteady() {
        assertThat(SteadyWarmup.steady(List.of(0L, 0L, 0L, 0L, 0L, 0L))).isFalse();
    }

    @Test
    void theDetailGivesTheLastMeanAndItsChange() {
        assertThat(SteadyWarmup.detail(List.of(1000L, 1000L, 1000L, 1030L, 1030L, 1030L)))
                .isEqualTo("1,030/s over the last 3 s, +3.0% on the 3 before");
        assertThat(SteadyWarmup.detail(List.of(500L, 700L))).isEqualTo("600/s over the last 2 s");
        assertThat(SteadyWarmup.detail(List.of())).isEqualTo("no complete window");
    }
}
