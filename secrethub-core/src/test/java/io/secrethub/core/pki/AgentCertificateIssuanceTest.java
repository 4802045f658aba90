package io.secrethub.core.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.AgentCredentials;
import io.secrethub.core.CaKeyType;
import io.secrethub.core.InvalidRequestException;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issuing agent certificates from CSRs, checked with the JDK's own X.509 and PKIX code. */
class AgentCertificateIssuanceTest {

    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private static CertificateAuthority ca;
    private static AgentCredentials agent;

    @BeforeAll
    static void createCa() {
        ca = CertificateAuthority.create(CaKeyType.EC_P256);
        agent = AgentCredentials.generate("agent-1");
    }

    @Test
    void issuedCertificateParsesWithTheJdkAndChainsToTheCa() throws Exception {
        IssuedCertificate issued = ca.issueAgentCertificate(agent.csrPem(), "agent-1");

        List<X509Certificate> chain = jdkParse(issued.chainPem());
        assertThat(chain).hasSize(2);
        X509Certificate leaf = chain.get(0);
        X509Certificate root = chain.get(1);
        assertThat(root).isEqualTo(ca.certificate());
        leaf.verify(root.getPublicKey());
        assertThat(leaf.getPublicKey()).isEqualTo(agent.keyPair().getPublic());

        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setRevocationEnabled(false);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        PKIXCertPathValidatorResult result = (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX")
                .validate(factory.generateCertPath(List.of(leaf)), parameters);
        assertThat(result.getTrustAnchor().getTrustedCert()).isEqualTo(root);
    }

    @Test
    void issuedCertificateIsAnAgentClientCertificate() throws Exception {
        IssuedCertificate issued = ca.issueAgentCertificate(agent.csrPem(), "agent-1");
        X509Certificate leaf = jdkParse(issued.certificatePem()).get(0);

        assertThat(leaf.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(6, "urn:secrethub:agent:agent-1"));
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=agent-1");
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(leaf.getCriticalExtensionOIDs())
                .contains(Extension.keyUsage.getId(), Extension.basicConstraints.getId());
        assertThat(leaf.getSerialNumber()).isEqualTo(issued.serial());

        byte[] caKeyId = SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                ca.certificate().getExtensionValue(Extension.subjectKeyIdentifier.getId())).getOctets())
                        .getKeyIdentifier();
        byte[] leafAuthorityKeyId = AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                leaf.getExtensionValue(Extension.authorityKeyIdentifier.getId())).getOctets()).getKeyIdentifierOctets();
        assertThat(leafAuthorityKeyId).isEqualTo(caKeyId);
    }

    @Test
    void defaultTtlIsThirtyDaysFromIssuingBackdatedAMinute() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        IssuedCertificate issued = ca.issueAgentCertificate(agent.csrPem(), "agent-1", null, now);
        X509Certificate leaf = jdkParse(issued.certificatePem()).get(0);

        assertThat(leaf.getNotBefore().toInstant()).isEqualTo(now.minus(CertificateAuthority.BACKDATE));
        assertThat(leaf.getNotAfter().toInstant()).isEqualTo(now.plus(Duration.ofDays(30)));
        assertThat(issued.notAfter()).isEqualTo(leaf.getNotAfter().toInstant());
    }

    @Test
    void ttlIsConfigurableAndCappedAtTheCaExpiry() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        IssuedCertificate shortLived = ca.issueAgentCertificate(agent.csrPem(), "agent-1", Duration.ofHours(1), now);
        assertThat(shortLived.notAfter()).isEqualTo(now.plus(Duration.ofHours(1)));

        CertificateAuthority shortCa = CertificateAuthority.create(CaKeyType.EC_P256, "Short CA", Duration.ofDays(2),
                now);
        IssuedCertificate capped = shortCa.issueAgentCertificate(agent.csrPem(), "agent-1", Duration.ofDays(30), now);
        assertThat(capped.notAfter()).isEqualTo(shortCa.notAfter());
        assertThat(jdkParse(capped.certificatePem()).get(0).getNotAfter())
                .isEqualTo(shortCa.certificate().getNotAfter());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -60})
    void nonPositiveTtlIsRefused(long seconds) {
        assertThatThrownBy(()
                -> ca.issueAgentCertificate(agent.csrPem(), "agent-1", Duration.ofSeconds(seconds), Instant.now()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("TTL must be positive");
    }

    @Test
    void issuingOutsideTheCaValidityIsRefused() {
        Instant afterExpiry = ca.notAfter().plus(Duration.ofDays(1));
        assertThatThrownBy(() -> ca.issueAgentCertificate(agent.csrPem(), "agent-1", null, afterExpiry))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("the CA is not valid");
    }

    @Test
    void serialsArePositiveAtMost159BitsAndDistinct() {
        Set<BigInteger> serials = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            BigInteger serial = ca.issueAgentCertificate(agent.csrPem(), "agent-1").serial();
            assertThat(serial.signum()).isPositive();
            assertThat(serial.bitLength()).isLessThanOrEqualTo(159);
            serials.add(serial);
        }
        assertThat(serials).hasSize(200);
    }

    @Test
    void csrWithTamperedSignatureIsRefused() throws Exception {
        byte[] der = Pem.decodeSingle(agent.csrPem(), Pem.CERTIFICATE_REQUEST);
        // The signature BIT STRING ends the structure; its last byte is the low byte of ECDSA's s.
        der[der.length - 1] ^= 0x01;
        String tampered = Pem.encode(Pem.CERTIFICATE_REQUEST, der);
        assertThat(new PKCS10CertificationRequest(der).getSubject().toString()).isEqualTo("CN=agent-1");

        assertThatThrownBy(() -> ca.issueAgentCertificate(tampered, "agent-1"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("signature is invalid");
    }

    @Test
    void csrSignedByAnotherKeyThanItCarriesIsRefused() throws Exception {
        KeyPair other = ecKeyPair("secp256r1");
        PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(
                CertificateAuthority.agentName("agent-1"), agent.keyPair().getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(other.getPrivate()));
        String csr = Pem.encode(Pem.CERTIFICATE_REQUEST, request.getEncoded());

        assertThatThrownBy(() -> ca.issueAgentCertificate(csr, "agent-1"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("signature is invalid");
    }

    @Test
    void csrForAnotherAgentIsRefused() {
        AgentCredentials other = AgentCredentials.generate("agent-2");
        assertThatThrownBy(() -> ca.issueAgentCertificate(other.csrPem(), "agent-1"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("certificate request subject CN \"agent-2\" does not match agent id \"agent-1\"");
    }

    @Test
    void csrWithoutCommonNameIsRefused() throws Exception {
        KeyPair keyPair = ecKeyPair("secp256r1");
        PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(
                new org.bouncycastle.asn1.x500.X500Name("O=SecretHub"), keyPair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate()));
        String csr = Pem.encode(Pem.CERTIFICATE_REQUEST, request.getEncoded());

        assertThatThrownBy(() -> ca.issueAgentCertificate(csr, "agent-1"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("exactly one common name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-leading-dash", "has space", "slash/inside", "../etc", "ünïcode",
        "a2345678901234567890123456789012345678901234567890123456789012345"})
    void invalidAgentIdsAreRefused(String agentId) {
        assertThatThrownBy(() -> ca.issueAgentCertificate(agent.csrPem(), agentId))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("invalid agent id");
    }

    @Test
    void agentIdsUpToSixtyFourCharactersAreAccepted() {
        String longest = "a".repeat(AgentIds.MAX_LENGTH);
        AgentCredentials credentials = AgentCredentials.generate(longest);
        assertThat(ca.issueAgentCertificate(credentials.csrPem(), longest).agentId()).isEqualTo(longest);
        assertThat(AgentIds.isValid("Agent_7.eu-west-1")).isTrue();
    }

    @Test
    void weakOrUnsupportedKeysAreRefused() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        assertRefused(AgentCredentials.csrPem("agent-1", rsa.generateKeyPair(), "SHA256withRSA"),
                "RSA public key of 1024 bits is not accepted");

        assertRefused(AgentCredentials.csrPem("agent-1", ecKeyPair("secp256k1"), "SHA256withECDSA"),
                "is not accepted; use P-256 or P-384");
        assertRefused(AgentCredentials.csrPem("agent-1", ecKeyPair("secp224r1"), "SHA256withECDSA"),
                "is not accepted; use P-256 or P-384");

        KeyPairGenerator ed25519 = KeyPairGenerator.getInstance("Ed25519");
        assertRefused(AgentCredentials.csrPem("agent-1", ed25519.generateKeyPair(), "Ed25519"),
                "public key algorithm");
    }

    @Test
    void weakSignatureHashIsRefused() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        assertRefused(AgentCredentials.csrPem("agent-1", rsa.generateKeyPair(), "SHA1withRSA"),
                "request signature algorithm " + PKCSObjectIdentifiers.sha1WithRSAEncryption.getId());
    }

    @Test
    void strongRsaAndP384KeysAreAccepted() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String rsaCsr = AgentCredentials.csrPem("agent-rsa", rsa.generateKeyPair(), "SHA256withRSA");
        assertThat(jdkParse(ca.issueAgentCertificate(rsaCsr, "agent-rsa").certificatePem()).get(0)
                .getPublicKey().getAlgorithm()).isEqualTo("RSA");

        String p384Csr = AgentCredentials.csrPem("agent-p384", ecKeyPair("secp384r1"), "SHA384withECDSA");
        assertThat(ca.issueAgentCertificate(p384Csr, "agent-p384").agentId()).isEqualTo("agent-p384");
    }

    @Test
    void extensionsRequestedInTheCsrAreIgnored() throws Exception {
        KeyPair keyPair = ecKeyPair("secp256r1");
        ExtensionsGenerator requested = new ExtensionsGenerator();
        requested.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        requested.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, "urn:secrethub:agent:admin")));
        PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(
                CertificateAuthority.agentName("agent-1"), keyPair.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, requested.generate())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate()));

        IssuedCertificate issued = ca.issueAgentCertificate(
                Pem.encode(Pem.CERTIFICATE_REQUEST, request.getEncoded()), "agent-1");
        X509Certificate leaf = jdkParse(issued.certificatePem()).get(0);

        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(6, "urn:secrethub:agent:agent-1"));
    }

    @Test
    void malformedRequestsAreRefused() {
        assertRefused(null, "got nothing");
        assertRefused("hello", "found none");
        assertRefused(ca.certificatePem(), "expected a PEM CERTIFICATE REQUEST block, found \"CERTIFICATE\"");
        assertRefused(Pem.encode(Pem.CERTIFICATE_REQUEST, new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}),
                "not a PKCS#10 structure");
        assertRefused(agent.csrPem() + agent.csrPem(), "expected one PEM CERTIFICATE REQUEST block, found 2");
        assertRefused("-----BEGIN CERTIFICATE REQUEST-----\n" + "A".repeat(20_000)
                + "\n-----END CERTIFICATE REQUEST-----\n", "too long");
        String garbage = "-----BEGIN CERTIFICATE REQUEST-----\n"
                + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}) + "\n-----END CERTIFICATE REQUEST-----\n";
        assertRefused(garbage, "not a PKCS#10 structure");
        assertRefused("-----BEGIN CERTIFICATE REQUEST-----\n!!!!\n-----END CERTIFICATE REQUEST-----\n",
                "malformed PEM CERTIFICATE REQUEST text");
        assertRefused("-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n", "malformed PEM CERTIFICATE REQUEST text");
    }

    private static void assertRefused(String csrPem, String message) {
        assertThatThrownBy(() -> ca.issueAgentCertificate(csrPem, "agent-1"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining(message);
    }

    static KeyPair ecKeyPair(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    /** Parses with the JDK's CertificateFactory directly, independently of {@link Pem}. */
    static List<X509Certificate> jdkParse(String pem) throws Exception {
        Collection<? extends java.security.cert.Certificate> certificates = CertificateFactory.getInstance("X.509")
                .generateCertificates(
                        new ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        List<X509Certificate> result = new ArrayList<>();
        certificates.forEach(certificate -> result.add((X509Certificate) certificate));
        return result;
    }
}
