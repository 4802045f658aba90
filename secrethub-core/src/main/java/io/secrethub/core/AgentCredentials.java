package io.secrethub.core;

import io.secrethub.core.pki.AgentIds;
import io.secrethub.core.pki.CertificateRequests;
import java.security.KeyPair;

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
        KeyPair keyPair = CertificateRequests.generateEcP256();
        return new AgentCredentials(agentId, keyPair, csrPem(agentId, keyPair, "SHA256withECDSA"));
    }

    /**
     * A PEM request for {@code commonName} signed by {@code keyPair}; any name and any key, so tests
     * can build requests the CA must refuse.
     */
    public static String csrPem(String commonName, KeyPair keyPair, String signatureAlgorithm) {
        return CertificateRequests.csrPem(commonName, keyPair, signatureAlgorithm);
    }

    @Override
    public String toString() {
        // Keep the private key out of logs and assertion messages.
        return "AgentCredentials[" + agentId + "]";
    }
}
