package io.secrethub.server.client;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * An agent's own key pair and certificate request (subject CN = agent id, SHA256withECDSA), made where the
 * agent runs: the private key never goes to the server.
 *
 * @param agentId the agent id the request names
 * @param keyPair the agent's ECDSA P-256 key pair
 * @param csrPem the PKCS#10 request, PEM
 */
public record AgentKeys(String agentId, KeyPair keyPair, String csrPem) {

    public static AgentKeys generate(String agentId) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            return new AgentKeys(agentId, keys, csr(agentId, keys));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key pair", e);
        }
    }

    /** A new request for the same key (renewal proves possession of the key the certificate names). */
    public String newCsr() {
        return csr(agentId, keyPair);
    }

    private static String csr(String agentId, KeyPair keys) {
        try {
            byte[] der = new JcaPKCS10CertificationRequestBuilder(
                    new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, agentId).build(), keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded();
            java.io.StringWriter out = new java.io.StringWriter();
            try (PemWriter writer = new PemWriter(out)) {
                writer.writeObject(new PemObject("CERTIFICATE REQUEST", der));
            }
            return out.toString();
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot build a certificate request", e);
        }
    }

    @Override
    public String toString() {
        return "AgentKeys[" + agentId + "]"; // keep the private key out of logs
    }
}
