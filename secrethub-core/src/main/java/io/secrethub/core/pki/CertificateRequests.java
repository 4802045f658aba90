package io.secrethub.core.pki;

import io.secrethub.core.crypto.Randoms;
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
 * The agent's side of a certificate request: key pairs and PKCS#10 requests, built with the same provider
 * and subject form the CA checks. Behind {@link io.secrethub.core.AgentCredentials}, which keeps
 * BouncyCastle out of the public API.
 */
public final class CertificateRequests {

    private CertificateRequests() {
    }

    /** A fresh ECDSA P-256 key pair. */
    public static KeyPair generateEcP256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
            generator.initialize(new ECGenParameterSpec("secp256r1"), Randoms.secureRandom());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key pair", e);
        }
    }

    /** A PEM request with subject CN={@code commonName}, signed by {@code keyPair} with {@code signatureAlgorithm}. */
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
}
