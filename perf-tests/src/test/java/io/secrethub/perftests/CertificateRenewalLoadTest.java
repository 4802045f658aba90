package io.secrethub.perftests;

import io.secrethub.core.AgentCredentials;
import io.secrethub.core.AgentRegistration;
import io.secrethub.core.CertificateVerification;
import io.secrethub.core.SecretHub;
import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import io.secrethub.perf.Agent;
import io.secrethub.perf.BeforeAgent;
import io.secrethub.perf.LoadTest;
import io.secrethub.perf.MaxErrorRate;
import io.secrethub.perf.MaxP95;
import io.secrethub.perf.MinThroughput;
import io.secrethub.perf.db.PostgresDatabase;
import java.security.KeyPair;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Certificate renewal under load: every agent is registered before the run (not measured), then renews its
 * certificate over and over, presenting the certificate it got last time and a fresh CSR signed with its key (the
 * proof that it holds the key; the public certificate alone proves nothing). Each new certificate is verified the
 * way an mTLS endpoint checks a client.
 *
 * <p>Timed operations: {@code renew} (CSR and certificate checks, CA signing, storage, audit) and {@code verify};
 * signing the CSR is the agent's own work and outside both. Agents, renewals per agent and scale as in
 * {@link AgentLoadTest} ({@code perf.CertificateRenewalLoadTest.agents}, …).
 */
@PostgresDatabase
@ExtendWith(SuiteSettings.Resolver.class)
class CertificateRenewalLoadTest {

    private static final String AGENT_ID = "agentId";
    private static final String KEY_PAIR = "keyPair";
    private static final String CERTIFICATE = "certificatePem";

    private static UnsealedHub vault;
    private static SecretHub hub;
    private static String registrarToken;

    @BeforeAll
    static void setUp(DataSource dataSource, SuiteSettings settings) {
        vault = UnsealedHub.open(dataSource, settings);
        hub = vault.hub();
        hub.policies().write(vault.rootToken(), Policy.builder("registrar")
                .path("agents/*", Capability.CREATE)
                .build());
        registrarToken = Registrar.token(hub, vault.rootToken(), "registrar");
    }

    @AfterAll
    static void tearDown() {
        if (vault != null) {
            vault.close();
        }
    }

    @BeforeAgent
    void register(Agent agent) {
        agent.state().computeIfAbsent(AGENT_ID, key -> {
            String agentId = "renewing-agent-" + agent.id();
            AgentCredentials credentials = AgentCredentials.generate(agentId);
            AgentRegistration registration = hub.agents().register(
                    registrarToken, agentId, credentials.csrPem(), Map.of("suite", "renewal"));
            agent.state().put(KEY_PAIR, credentials.keyPair());
            agent.state().put(CERTIFICATE, registration.certificatePem());
            return agentId;
        });
    }

    // No MVP figure exists for renewal: the throughput floor is registration's (a renewal is a registration
    // without the policy check). Renewal runs in the background, so its latency bound is loose; verification sits
    // on every mTLS handshake, so its bound is tight.
    @LoadTest(agents = 100, iterations = 5)
    @MinThroughput(50)
    @MaxP95(value = "2s", operation = "renew")
    @MaxP95(value = "500ms", operation = "verify")
    @MaxErrorRate(0)
    void renewal(Agent agent) throws Exception {
        String agentId = (String) agent.state().get(AGENT_ID);
        String current = (String) agent.state().get(CERTIFICATE);
        String csr = AgentCredentials.csrPem(agentId, (KeyPair) agent.state().get(KEY_PAIR), "SHA256withECDSA");

        AgentRegistration renewed = agent.time("renew", () -> hub.agents().renew(agentId, current, csr));
        CertificateVerification verification = agent.time("verify", ()
                -> hub.agents().verify(renewed.certificatePem()));

        // The renewed certificate must name the same agent, or the agent would have lost its identity.
        if (!verification.isValid() || !verification.agentId().equals(agentId)) {
            throw new AssertionError("renewed certificate of " + agentId + " refused: " + verification);
        }
        agent.state().put(CERTIFICATE, renewed.certificatePem());
    }
}
