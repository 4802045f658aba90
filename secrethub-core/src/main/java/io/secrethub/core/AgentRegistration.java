package io.secrethub.core;

import java.math.BigInteger;
import java.time.Instant;

/**
 * A certificate issued to an agent.
 *
 * @param agentId the agent (subject CN and SAN URI {@code urn:secrethub:agent:<id>})
 * @param serial the certificate serial
 * @param certificatePem the leaf certificate, PEM
 * @param chainPem the leaf followed by the CA certificate, PEM
 * @param notAfter end of validity
 */
public record AgentRegistration(String agentId, BigInteger serial, String certificatePem, String chainPem,
        Instant notAfter) {
}
