package io.secrethub.core;

import io.secrethub.core.runtime.HubInternals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.pki.Pem;
import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHubExtension;
import io.secrethub.core.token.TokenSpec;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Agent registration, renewal, revocation and verification with real certificates. */
class AgentsTest {

    @RegisterExtension
    static final UnsealedHubExtension HUB =
            UnsealedHubExtension.withSettings(b -> b.agentCertificateTtl(Duration.ofDays(7)));

    static SecretHub hub;
    static String root;

    @BeforeAll
    static void setUp(HubFixture fixture) {
        // initialized by the pre-existing code path: the CA is created lazily on first use
        hub = fixture.hub();
        root = fixture.rootToken();
    }

    @Test
    void issuedCertificateChainsToTheCaWithEkuAndSan() throws Exception {
        AgentCredentials agent = AgentCredentials.generate("agent-1");
        AgentRegistration reg = hub.agents().register(root, "agent-1", agent.csrPem(), Map.of("zone", "eu-1"));
        List<X509Certificate> chain = Pem.parseCertificates(reg.chainPem());
        assertThat(chain).hasSize(2);
        X509Certificate leaf = chain.get(0);
        X509Certificate ca = chain.get(1);
        leaf.verify(ca.getPublicKey());
        ca.verify(ca.getPublicKey());
        assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(leaf.getSubjectAlternativeNames()).contains(List.of(6, "urn:secrethub:agent:agent-1"));
        assertThat(leaf.getSerialNumber()).isEqualTo(reg.serial());
        assertThat(leaf.getPublicKey()).isEqualTo(agent.keyPair().getPublic());
        assertThat(Duration.between(leaf.getNotBefore().toInstant(), reg.notAfter()))
                .isLessThanOrEqualTo(Duration.ofDays(7).plusMinutes(2));
        CertificateVerification v = hub.agents().verify(reg.certificatePem());
        assertThat(v.isValid()).isTrue();
        assertThat(v.agentId()).isEqualTo("agent-1");
    }

    @Test
    void csrWithAWrongSignatureOrSubjectIsRefused() {
        AgentCredentials agent = AgentCredentials.generate("agent-2");
        byte[] der = Pem.decodeSingle(agent.csrPem(), Pem.CERTIFICATE_REQUEST);
        der[der.length - 1] ^= 0x01; // the signature ends the structure
        String tampered = Pem.encode(Pem.CERTIFICATE_REQUEST, der);
        assertThatThrownBy(() -> hub.agents().register(root, "agent-2", tampered, Map.of()))
                .isInstanceOf(InvalidRequestException.class);
        AgentCredentials other = AgentCredentials.generate("someone-else");
        assertThatThrownBy(() -> hub.agents().register(root, "agent-2", other.csrPem(), Map.of()))
                .isInstanceOf(InvalidRequestException.class);
        // nothing was stored: the id is still free
        hub.agents().register(root, "agent-2", agent.csrPem(), Map.of());
    }

    @Test
    void reRegistrationIsRefusedUnlessRevoked() {
        AgentCredentials agent = AgentCredentials.generate("agent-3");
        AgentRegistration first = hub.agents().register(root, "agent-3", agent.csrPem(), Map.of());
        assertThatThrownBy(() -> hub.agents().register(root, "agent-3", agent.csrPem(), Map.of()))
                .isInstanceOf(InvalidRequestException.class);
        hub.agents().revoke(root, "agent-3");
        assertThat(hub.agents().verify(first.certificatePem()).outcome())
                .isEqualTo(CertificateVerification.Outcome.REVOKED);
        AgentRegistration second = hub.agents().register(root, "agent-3", agent.csrPem(), Map.of());
        assertThat(hub.agents().verify(second.certificatePem()).isValid()).isTrue();
        assertThat(hub.agents().verify(first.certificatePem()).isValid()).isFalse();
        assertThatThrownBy(() -> hub.agents().revoke(root, "never-registered")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void renewNeedsAValidUnrevokedCertificateAndTheSameKey() {
        AgentCredentials agent = AgentCredentials.generate("agent-4");
        AgentRegistration reg = hub.agents().register(root, "agent-4", agent.csrPem(), Map.of());
        AgentRegistration renewed = hub.agents().renew("agent-4", reg.certificatePem(), agent.csrPem());
        assertThat(renewed.serial()).isNotEqualTo(reg.serial());
        assertThat(hub.agents().verify(renewed.chainPem()).isValid()).isTrue();

        // a CSR for a different key: the current certificate is public, so this would be impersonation
        AgentCredentials thief = AgentCredentials.generate("agent-4");
        assertThatThrownBy(() -> hub.agents().renew("agent-4", reg.certificatePem(), thief.csrPem()))
                .isInstanceOf(PermissionDeniedException.class);
        // another agent's certificate
        AgentCredentials five = AgentCredentials.generate("agent-5");
        AgentRegistration fiveReg = hub.agents().register(root, "agent-5", five.csrPem(), Map.of());
        assertThatThrownBy(() -> hub.agents().renew("agent-4", fiveReg.certificatePem(), five.csrPem()))
                .isInstanceOf(PermissionDeniedException.class);

        hub.agents().revoke(root, "agent-4");
        assertThatThrownBy(() -> hub.agents().renew("agent-4", renewed.certificatePem(), agent.csrPem()))
                .isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    void metadataIsValidated() {
        AgentCredentials agent = AgentCredentials.generate("agent-6");
        Map<String, String> tooMany = new HashMap<>();
        for (int i = 0; i <= Agents.MAX_METADATA_ENTRIES; i++) {
            tooMany.put("k" + i, "v");
        }
        for (Map<String, String> bad : List.of(tooMany, Map.of("bad key", "v"), Map.of("k", "line\nbreak"),
                Map.of("k", "x".repeat(Agents.MAX_METADATA_VALUE_LENGTH + 1)))) {
            assertThatThrownBy(() -> hub.agents().register(root, "agent-6", agent.csrPem(), bad))
                    .isInstanceOf(InvalidRequestException.class);
        }
    }

    @Test
    void registrationNeedsCreateOnTheAgentPath() {
        hub.policies().write(root, Policy.builder("fleet").path("agents/fleet-*", Capability.CREATE).build());
        String token = HubInternals.tokens(hub)
                .create(new TokenSpec(List.of("default", "fleet"), "t", Duration.ofHours(1), null, null)).token();
        hub.agents().register(token, "fleet-1", AgentCredentials.generate("fleet-1").csrPem(), Map.of());
        assertThatThrownBy(()
                -> hub.agents().register(token, "other-1", AgentCredentials.generate("other-1").csrPem(), Map.of()))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> hub.agents().revoke(token, "fleet-1")).isInstanceOf(PermissionDeniedException.class);
    }
}
