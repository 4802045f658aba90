package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.pki.Pem;
import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.HubSettings;
import io.secrethub.core.testing.UnsealedHubExtension;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An RSA CA chosen on the builder, stored encrypted, and shared by a second instance (and after re-unseal). */
class AgentsRsaCaTest {

    @RegisterExtension
    static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(b -> b.caKeyType(CaKeyType.RSA_3072));

    @Test
    void rsaCaIsSharedByInstancesAndSurvivesSealing(HubFixture fixture) throws Exception {
        SecretHub first = fixture.hub();
        try (SecretHub second = fixture.newUnsealedInstance(4, HubSettings.DEFAULTS)) {
            AgentRegistration reg = first.agents().register(fixture.rootToken(), "rsa-agent",
                    AgentCredentials.generate("rsa-agent").csrPem(), Map.of());
            List<X509Certificate> chain = Pem.parseCertificates(reg.chainPem());
            assertThat(chain.get(1).getPublicKey().getAlgorithm()).isEqualTo("RSA");
            chain.get(0).verify(chain.get(1).getPublicKey());

            assertThat(second.agents().verify(reg.certificatePem()).isValid()).isTrue();
            first.sys().seal(fixture.rootToken());
            fixture.unseal(first);
            assertThat(first.agents().verify(reg.certificatePem()).isValid()).isTrue();
        }
    }
}
