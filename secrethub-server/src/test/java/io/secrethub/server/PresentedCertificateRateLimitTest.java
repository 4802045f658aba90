package io.secrethub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.SecretHub;
import io.secrethub.perf.db.PostgresDatabase;
import io.secrethub.server.client.AgentKeys;
import io.secrethub.server.client.SecretHubClient;
import io.secrethub.server.http.CoreErrors;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A certificate presented as the TLS client certificate (its holder proved it has the key) counts against its
 * address's unauthenticated rate limit only when it is refused: a fleet of agents behind one address that all
 * reconnect at once (after an instance fails) is let in, while refused certificates still use the allowance up.
 * Before, every upgrade and every mTLS agent request cost a call, and 1,000 agents behind one address moving after
 * an instance kill were throttled to the refill rate.
 */
@PostgresDatabase
class PresentedCertificateRateLimitTest {

    private static TestServer limited;
    private static SecretHub hub;
    private static String root;

    @BeforeAll
    static void start(DataSource db) {
        // Three calls without a token per address, earned back only after minutes: the limit shows at once.
        limited = TestServer.withHub(db, b -> b.unauthenticatedRateLimit(0.01, 3));
        hub = limited.hub;
        root = limited.initializeAndUnseal();
    }

    @AfterAll
    static void stop() {
        limited.close();
    }

    @Test
    void validPresentedCertificatesAreNotChargedRefusedOnesAre() {
        AgentKeys good = AgentKeys.generate("fleet-member");
        String goodCertificate = hub.agents().register(root, good.agentId(), good.csrPem(), Map.of()).certificatePem();
        AgentKeys revoked = AgentKeys.generate("revoked-member");
        String revokedCertificate = hub.agents().register(root, revoked.agentId(), revoked.csrPem(), Map.of())
                .certificatePem();
        hub.agents().revoke(root, revoked.agentId());

        try (SecretHubClient client = SecretHubClient.connect(limited.server.url(), limited.caFile)) {
            SecretHubClient.Session fleet = client.agent(good, goodCertificate);
            for (int i = 0; i < 10; i++) {
                SecretHubClient.Response self = fleet.send("GET", "agents/self", null, null);
                assertThat(self.status()).as("request %d past a burst of 3: %s", i, self).isEqualTo(200);
                assertThat(self.data()).containsEntry("agent_id", "fleet-member");
            }

            SecretHubClient.Session refused = client.agent(revoked, revokedCertificate);
            for (int i = 0; i < 3; i++) {
                SecretHubClient.Response self = refused.send("GET", "agents/self", null, null);
                assertThat(self.status()).as(self.toString()).isEqualTo(403);
            }
            SecretHubClient.Response over = refused.send("GET", "agents/self", null, null);
            assertThat(over.status()).as("the allowance is used up by three refusals: %s", over).isEqualTo(429);
            assertThat(over.body().toString()).contains(CoreErrors.RATE_LIMITED);

            SecretHubClient.Response after = fleet.send("GET", "agents/self", null, null);
            assertThat(after.status()).as("the address is over its limit now, for valid certificates too: %s",
                    after).isEqualTo(429);
        }
    }
}
