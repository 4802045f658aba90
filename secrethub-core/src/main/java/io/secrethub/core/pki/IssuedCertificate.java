package io.secrethub.core.pki;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * A certificate the CA issued to an agent.
 *
 * @param agentId        the agent the certificate names (subject CN and SAN URI)
 * @param serial         the certificate's serial number, the key a revocation list is kept by
 * @param notBefore      start of validity (a little before the issuing time, for clock skew)
 * @param notAfter       end of validity
 * @param certificatePem the leaf certificate alone, PEM
 * @param chainPem       the leaf followed by the CA certificate, PEM: what the agent presents
 */
public record IssuedCertificate(String agentId, BigInteger serial, Instant notBefore, Instant notAfter,
        String certificatePem, String chainPem) {

    /** Checks that no component is missing. */
    public IssuedCertificate {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(certificatePem, "certificatePem");
        Objects.requireNonNull(chainPem, "chainPem");
    }
}
