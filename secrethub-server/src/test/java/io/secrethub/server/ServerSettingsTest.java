package io.secrethub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings read from the environment: defaults, and a bad value named in the error. */
class ServerSettingsTest {

    private static ServerSettings with(Map<String, String> environment) {
        return ServerSettings.load(environment, null);
    }

    @Test
    void maxHandshakesDefaultsTo64AndTakesAPositiveWholeNumber() {
        assertThat(with(Map.of()).maxHandshakes()).isEqualTo(64);
        assertThat(with(Map.of(ServerSettings.MAX_HANDSHAKES, "8")).maxHandshakes()).isEqualTo(8);
    }

    @Test
    void aBadMaxHandshakesIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> with(Map.of(ServerSettings.MAX_HANDSHAKES, "0")).maxHandshakes())
                .isInstanceOf(SettingsException.class).hasMessageContaining("SECRETHUB_MAX_HANDSHAKES")
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> with(Map.of(ServerSettings.MAX_HANDSHAKES, "many")).maxHandshakes())
                .isInstanceOf(SettingsException.class).hasMessageContaining("SECRETHUB_MAX_HANDSHAKES")
                .hasMessageContaining("not a whole number");
    }

    @Test
    void maxConcurrentRequestsDefaultsToHalfAsManyAgainAsThePoolAndTakesZeroForNoLimit() {
        assertThat(with(Map.of()).maxConcurrentRequests()).isEqualTo(30); // 20 connections by default
        assertThat(with(Map.of(ServerSettings.DB_POOL_SIZE, "7")).maxConcurrentRequests()).isEqualTo(11);
        assertThat(with(Map.of(ServerSettings.MAX_CONCURRENT_REQUESTS, "0")).maxConcurrentRequests()).isZero();
        assertThat(with(Map.of(ServerSettings.MAX_CONCURRENT_REQUESTS, "300")).maxConcurrentRequests()).isEqualTo(300);
        assertThatThrownBy(() -> with(Map.of(ServerSettings.MAX_CONCURRENT_REQUESTS, "-1")).maxConcurrentRequests())
                .isInstanceOf(SettingsException.class).hasMessageContaining("SECRETHUB_MAX_CONCURRENT_REQUESTS")
                .hasMessageContaining("at least 0");
    }
}
