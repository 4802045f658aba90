package io.secrethub.core.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.SecretHub;
import org.junit.jupiter.api.Test;

/** How long the expiration manager rests after a full batch, so a backlog keeps it busy only its share of the time. */
class DutyCycleTest {

    @Test
    void theDefaultQuarterRestsThreeTimesAsLongAsTheBatchTook() {
        assertThat(LeaseSettings.defaults().dutyCycle()).isEqualTo(0.25);
        assertThat(LeaseSettings.defaults().pauseNanos(40_000_000)).isEqualTo(120_000_000);
    }

    @Test
    void halfRestsAsLongAsTheBatchTook() {
        assertThat(withDuty(0.5).pauseNanos(40_000_000)).isEqualTo(40_000_000);
    }

    @Test
    void aWholeDoesNotRestAtAll() {
        assertThat(withDuty(1.0).pauseNanos(10_000_000)).isZero();
    }

    @Test
    void theBuilderRefusesSharesOutsideZeroToOne() {
        assertThatThrownBy(() -> SecretHub.builder().leaseDutyCycle(0)).hasMessageContaining("leaseDutyCycle");
        assertThatThrownBy(() -> SecretHub.builder().leaseDutyCycle(1.5)).hasMessageContaining("was 1.5");
        assertThatThrownBy(() -> SecretHub.builder().leaseDutyCycle(Double.NaN)).hasMessageContaining("leaseDutyCycle");
    }

    private static LeaseSettings withDuty(double duty) {
        LeaseSettings d = LeaseSettings.defaults();
        return new LeaseSettings(d.pollInterval(), d.concurrency(), d.batchSize(), d.maxAttempts(), d.backoffBase(),
                d.backoffMax(), d.claimTimeout(), d.revokedRetention(), duty);
    }
}
