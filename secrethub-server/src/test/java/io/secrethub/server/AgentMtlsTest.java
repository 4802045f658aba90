package io.secrethub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.AuditRecord;
import io.secrethub.perf.db.PostgresDatabase;
import io.secrethub.server.client.AgentKeys;
import io.secrethub.server.client.SecretHubClient;
import io.secrethub.server.client.SecretHubClientException;
import io.secrethub.server.tls.PemFiles;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Agents over mutual TLS through {@link SecretHubClient}: each agent presents its own certificate on its own
 * connection; the agent endpoints accept only certificates of SecretHub's CA that are not revoked, and
 * other endpoints ignore whatever certificate is offered.
 */
@PostgresDatabase
class AgentMtlsTest {

    private static TestServer server;
    private static SecretHubClient client;
    private static String root;

    @BeforeAll
    static void start(DataSource db) {
        server = TestServer.start(db);
        root = server.initializeAndUnseal();
        client = SecretHubClient.connect(server.server.url(), server.caFile);
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void registeredAgentAuthenticatesRenewsAndIsRefusedOnceRevoked() {
        AgentKeys keys = AgentKeys.generate("agent-1");
        String certificate = client.anonymous().registerAgent(root, keys);
        SecretHubClient.Session agent = client.agent(keys, certificate);

        Map<String, Object> self = agent.send("GET", "agents/self", null, null).orThrow().data();
        assertThat(self).containsEntry("agent_id", "agent-1");

        String renewed = agent.renewAgent(keys);
        assertThat(renewed).startsWith("-----BEGIN CERTIFICATE-----").isNotEqualTo(certificate);
        SecretHubClient.Session renewedAgent = client.agent(keys, renewed);
        assertThat(renewedAgent.send("GET", "agents/self", null, null).orThrow().data())
                .containsEntry("agent_id", "agent-1");

        assertThat(client.anonymous().send("DELETE", "agents/agent-1", root, null).status()).isEqualTo(204);
        // The same keep-alive connection, the next request: refused.
        SecretHubClient.Response refused = renewedAgent.send("GET", "agents/self", null, null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().get("errors").toString()).contains("revoked");
        assertThatThrownBy(() -> renewedAgent.renewAgent(keys)).isInstanceOf(SecretHubClientException.class)
                .extracting(e -> ((SecretHubClientException) e).status()).isEqualTo(403);
    }

    @Test
    void agentEndpointsNeedAClientCertificate() {
        SecretHubClient.Response response = client.anonymous().send("GET", "agents/self", null, null);
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.body()).containsEntry("errors", List.of("client certificate required"));
        AgentKeys keys = AgentKeys.generate("agent-2");
        client.anonymous().registerAgent(root, keys);
        assertThat(client.anonymous().send("POST", "agents/agent-2/renew", null, Map.of("csr", keys.newCsr())).status())
                .isEqualTo(403);
    }

    @Test
    void certificateOfAnotherCaIsRefusedByAgentEndpointsAndIgnoredElsewhere() throws Exception {
        AgentKeys keys = AgentKeys.generate("agent-3");
        client.anonymous().registerAgent(root, keys);
        SecretHubClient.Session impostor = client.agent(keys, selfSigned(keys, "agent-3"));

        SecretHubClient.Response refused = impostor.send("GET", "agents/self", null, null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().get("errors").toString()).contains("untrusted");
        assertThat(impostor.send("POST", "agents/agent-3/renew", null, Map.of("csr", keys.newCsr())).status())
                .isEqualTo(403);

        assertThat(impostor.send("GET", "sys/health", null, null).status()).isEqualTo(200);
        assertThat(impostor.kvWrite(root, "ignored-cert", Map.of("k", "v"), null)).isEqualTo(1);
    }

    @Test
    void auditRecordsNameTheClientAddress() {
        client.anonymous().kvWrite(root, "audited", Map.of("k", "v"), null);
        List<AuditRecord> records = server.hub.audit().records(root, 1, 10_000);
        assertThat(records).anySatisfy(r -> {
            assertThat(r.path()).isEqualTo("audited");
            assertThat(r.clientAddress()).isEqualTo("127.0.0.1");
        });
    }

    /** A certificate for the agent's key that SecretHub's CA never issued. */
    static String selfSigned(AgentKeys keys, String agentId) throws Exception {
        X500Name name = new X500Name("CN=" + agentId);
        Instant now = Instant.now();
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                name, BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(1, ChronoUnit.HOURS)),
                Date.from(now.plus(1, ChronoUnit.DAYS)), name, keys.keyPair().getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.keyPair().getPrivate())));
        return PemFiles.certificate(certificate);
    }
}
