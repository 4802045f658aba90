package io.secrethub.core.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * An agent's side of registration: a fresh ECDSA P-256 key pair and the PKCS#10 request (subject
 * CN=agent id, signed SHA256withECDSA) the agent sends to the CA.
 *
 * <p>For tests and the load test, which play the agents; a real agent makes its key where it runs
 * and never hands it over.
 *
 * @param agentId the agent id the request names
 * @param keyPair the agent's key pair
 * @param csrPem  the request, PEM
 */
public record AgentCredentials(String agentId, KeyPair keyPair, String csrPem) {

    /** Generates a P-256 key pair and a request for {@code agentId}. */
    public static AgentCredentials generate(String agentId) {
        AgentIds.requireValid(agentId);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
            generator.initialize(new ECGenParameterSpec("secp256r1"), BouncyCastle.RANDOM);
            KeyPair keyPair = generator.generateKeyPair();
            return new AgentCredentials(agentId, keyPair, csrPem(agentId, keyPair, "SHA256withECDSA"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key pair", e);
        }
    }

    /**
     * A PEM request for {@code commonName} signed by {@code keyPair}; any name and any key, so tests
     * can build requests the CA must refuse.
     */
    public static String csrPem(String commonName, KeyPair keyPair, String signatureAlgorithm) {
        try {
            PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(
                    CertificateAuthority.agentName(commonName), keyPair.getPublic())
                    .build(new JcaContentSignerBuilder(signatureAlgorithm)
                            .setProvider(BouncyCastle.PROVIDER)
                            .build(keyPair.getPrivate()));
            return Pem.encode(Pem.CERTIFICATE_REQUEST, request.getEncoded());
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot build a certificate request", e);
        }
    }

    @Override
    public String toString() {
        // Keep the private key out of logs and assertion messages.
        return "AgentCredentials[" + agentId + "]";
    }
}
