package io.secrethub.core.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.AgentCredentials;
import io.secrethub.core.CaKeyType;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;

/** Creating, exporting and restoring the CA itself. */
class CertificateAuthorityTest {

    @Test
    void rootCertificateIsASelfSignedCaWithKeyIdentifiers() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create(CaKeyType.EC_P256);
        X509Certificate root = ca.certificate();

        root.verify(root.getPublicKey());
        assertThat(root.getSubjectX500Principal().getName()).isEqualTo("CN=" + CertificateAuthority.DEFAULT_CA_NAME);
        assertThat(root.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
        assertThat(root.getBasicConstraints()).as("CA with path length 0").isEqualTo(0);
        boolean[] keyUsage = root.getKeyUsage();
        assertThat(keyUsage[5]).as("keyCertSign").isTrue();
        assertThat(keyUsage[6]).as("cRLSign").isTrue();
        assertThat(keyUsage[0]).as("digitalSignature").isFalse();
        assertThat(root.getExtensionValue(Extension.subjectKeyIdentifier.getId())).isNotNull();
        assertThat(root.getCriticalExtensionOIDs())
                .contains(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
        assertThat(root.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(root.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(Duration.between(root.getNotBefore().toInstant(), root.getNotAfter().toInstant()))
                .isEqualTo(CertificateAuthority.DEFAULT_CA_VALIDITY.plus(CertificateAuthority.BACKDATE));
        assertThat(ca.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n");
    }

    @Test
    void exportedKeyAndCertificateRestoreAnEquivalentCa() {
        CertificateAuthority original = CertificateAuthority.create(CaKeyType.EC_P256);
        byte[] pkcs8 = original.privateKeyPkcs8();
        assertThat(PrivateKeyInfo.getInstance(pkcs8).getPrivateKeyAlgorithm().getAlgorithm().getId())
                .isEqualTo("1.2.840.10045.2.1");

        CertificateAuthority restored = CertificateAuthority.load(pkcs8, original.certificatePem());
        AgentCredentials agent = AgentCredentials.generate("agent-1");
        IssuedCertificate issued = restored.issueAgentCertificate(agent.csrPem(), "agent-1");

        assertThat(restored.certificatePem()).isEqualTo(original.certificatePem());
        assertThat(restored.keyType()).isEqualTo(CaKeyType.EC_P256);
        assertThat(original.verify(issued.chainPem(), serial -> false).agentId()).isEqualTo("agent-1");
    }

    @Test
    void privateKeyExportIsAFreshCopy() {
        CertificateAuthority ca = CertificateAuthority.create(CaKeyType.EC_P256);
        byte[] first = ca.privateKeyPkcs8();
        byte[] copy = first.clone();
        Arrays.fill(first, (byte) 0);
        assertThat(ca.privateKeyPkcs8()).isEqualTo(copy);
    }

    @Test
    void loadRefusesAKeyThatDoesNotMatchTheCertificate() {
        CertificateAuthority one = CertificateAuthority.create(CaKeyType.EC_P256);
        CertificateAuthority two = CertificateAuthority.create(CaKeyType.EC_P256);

        assertThatThrownBy(() -> CertificateAuthority.load(one.privateKeyPkcs8(), two.certificatePem()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void loadRefusesMalformedMaterialAndNonCaCertificates() {
        CertificateAuthority ca = CertificateAuthority.create(CaKeyType.EC_P256);
        AgentCredentials agent = AgentCredentials.generate("agent-1");
        String leafPem = ca.issueAgentCertificate(agent.csrPem(), "agent-1").certificatePem();

        assertThatThrownBy(() -> CertificateAuthority.load(new byte[] {1, 2, 3}, ca.certificatePem()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed");
        assertThatThrownBy(() -> CertificateAuthority.load(ca.privateKeyPkcs8(), "garbage"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed");
        assertThatThrownBy(() -> CertificateAuthority.load(ca.privateKeyPkcs8(), leafPem))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rsaCaIssuesCertificatesThatVerify() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create(CaKeyType.RSA_3072);
        X509Certificate root = ca.certificate();
        assertThat(((RSAPublicKey) root.getPublicKey()).getModulus().bitLength()).isEqualTo(3072);
        assertThat(root.getSigAlgName()).isEqualTo("SHA256withRSA");

        AgentCredentials agent = AgentCredentials.generate("agent-rsa-ca");
        IssuedCertificate issued = ca.issueAgentCertificate(agent.csrPem(), "agent-rsa-ca");
        X509Certificate leaf = AgentCertificateIssuanceTest.jdkParse(issued.chainPem()).get(0);
        leaf.verify(root.getPublicKey());
        assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(ca.verify(issued.certificatePem(), serial -> false).agentId()).isEqualTo("agent-rsa-ca");

        CertificateAuthority restored = CertificateAuthority.load(ca.privateKeyPkcs8(), ca.certificatePem());
        assertThat(restored.keyType()).isEqualTo(CaKeyType.RSA_3072);
        IssuedCertificate again = restored.issueAgentCertificate(agent.csrPem(), "agent-rsa-ca");
        assertThat(ca.verify(again.certificatePem(), serial -> false).isValid()).isTrue();
    }

    @Test
    void toStringNeverShowsTheKey() {
        CertificateAuthority ca = CertificateAuthority.create(CaKeyType.EC_P256, "Named CA", Duration.ofDays(1),
                Instant.now());
        assertThat(ca.toString()).contains("EC_P256", "Named CA").doesNotContain("PRIVATE");
        assertThat(AgentCredentials.generate("agent-1").toString()).isEqualTo("AgentCredentials[agent-1]");
    }
}
