package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuditStatsTest {

    @Test
    void sinceIsWhatWasWrittenBetweenTwoReadings() {
        AuditStats earlier = new AuditStats(10, 100, 20_000_000, 3);
        AuditStats later = new AuditStats(14, 180, 30_000_000, 5);

        AuditStats between = later.since(earlier);

        assertThat(between).isEqualTo(new AuditStats(4, 80, 10_000_000, 5));
        assertThat(between.recordsPerBatch()).isEqualTo(20.0);
        assertThat(between.millisPerBatch()).isEqualTo(2.5);
        assertThat(later.since(later).recordsPerBatch()).as("no batch in between").isZero();
    }
}
