package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHubExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Renewal cannot keep an agent's certificates going forever: they end at its registration + max lifetime. */
class AgentCertificateLifetimeTest {

    static final MutableClock CLOCK = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    @RegisterExtension
    static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(b -> b.clock(CLOCK)
            .agentCertificateTtl(Duration.ofDays(10)).agentCertificateMaxLifetime(Duration.ofDays(25)));

    static SecretHub hub;
    static String root;

    @BeforeAll
    static void setUp(HubFixture fixture) {
        hub = fixture.hub();
        root = fixture.rootToken();
    }

    @Test
    void renewedCertificatesEndAtTheMaximumLifetimeAndThenRenewalIsRefused() {
        Instant registered = CLOCK.instant();
        AgentCredentials agent = AgentCredentials.generate("long-lived");
        AgentRegistration current = hub.agents().register(root, "long-lived", agent.csrPem(), Map.of());
        CLOCK.advance(Duration.ofDays(9));
        current = hub.agents().renew("long-lived", current.certificatePem(), agent.csrPem());
        assertThat(current.notAfter()).isEqualTo(CLOCK.instant().plus(Duration.ofDays(10)));
        CLOCK.advance(Duration.ofDays(9));
        current = hub.agents().renew("long-lived", current.certificatePem(), agent.csrPem());
        assertThat(current.notAfter()).as("capped at registration + max lifetime")
                .isEqualTo(registered.plus(Duration.ofDays(25)));
        CLOCK.advance(Duration.ofDays(7).minusSeconds(30));
        String last = current.certificatePem();
        assertThatThrownBy(() -> hub.agents().renew("long-lived", last, agent.csrPem()))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("maximum certificate lifetime");
        CLOCK.advance(Duration.ofMinutes(1));
        hub.agents().revoke(root, "long-lived");
        AgentRegistration again = hub.agents().register(root, "long-lived", agent.csrPem(), Map.of());
        assertThat(hub.agents().verify(again.certificatePem()).isValid()).as("registering again starts over").isTrue();
    }
}
