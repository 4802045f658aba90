package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.pki.Pem;
import io.secrethub.core.testing.TestDatabase;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An RSA CA chosen on the builder, stored encrypted, and shared by a second instance (and after re-unseal). */
class AgentsRsaCaTest {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase(8);

    @Test
    void rsaCaIsSharedByInstancesAndSurvivesSealing() throws Exception {
        try (SecretHub first = SecretHub.builder().dataSource(DB.dataSource()).caKeyType(CaKeyType.RSA_3072).build();
                SecretHub second = SecretHub.builder().dataSource(DB.newPool(4)).build()) {
            InitResult init = TestHubs.initAndUnseal(first);
            TestHubs.unseal(second, init);
            AgentRegistration reg = first.agents().register(init.rootToken(), "rsa-agent",
                    AgentCredentials.generate("rsa-agent").csrPem(), Map.of());
            List<X509Certificate> chain = Pem.parseCertificates(reg.chainPem());
            assertThat(chain.get(1).getPublicKey().getAlgorithm()).isEqualTo("RSA");
            chain.get(0).verify(chain.get(1).getPublicKey());

            assertThat(second.agents().verify(reg.certificatePem()).isValid()).isTrue();
            first.sys().seal();
            TestHubs.unseal(first, init);
            assertThat(first.agents().verify(reg.certificatePem()).isValid()).isTrue();
        }
    }
}
