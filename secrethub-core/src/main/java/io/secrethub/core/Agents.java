package io.secrethub.core;

import java.util.Map;

/**
 * {@code hub.agents()}: agent identities as X.509 client certificates from SecretHub's internal CA.
 *
 * <p>Policy paths: {@code agents/<agentId>} — register needs create, revoke needs delete.
 * {@link #renew} and {@link #verify} present no token (the certificate is the proof) and are audited.
 * The CA (ECDSA P-256 unless the builder chose RSA) is created on first use after unseal, its key
 * stored encrypted through the keyring.
 */
public interface Agents {

    /** Most metadata entries per agent. */
    int MAX_METADATA_ENTRIES = 32;
    /** Longest metadata key (keys: letters, digits, '.', '_', '-', '/'). */
    int MAX_METADATA_KEY_LENGTH = 64;
    /** Longest metadata value (printable ASCII). */
    int MAX_METADATA_VALUE_LENGTH = 256;

    /**
     * Verifies the PKCS#10 request (signature, subject CN = {@code agentId}) and issues the agent's
     * client certificate.
     *
     * @throws InvalidRequestException if the request, id or metadata is refused, or the agent is
     *     already registered and not revoked
     */
    AgentRegistration register(String token, String agentId, String csrPem, Map<String, String> metadata);

    /**
     * Issues a new certificate to an agent presenting a valid, unrevoked current certificate. The CSR
     * must carry the <em>same public key</em> as the current certificate: its signature is the proof
     * that the caller holds the agent's private key (the current certificate alone is public).
     *
     * @throws PermissionDeniedException if the current certificate is not valid for this agent, the
     *     key differs, or the agent is revoked
     */
    AgentRegistration renew(String agentId, String currentCertPem, String csrPem);

    /**
     * Revokes the agent and every certificate it holds; it may then register again.
     *
     * @throws NotFoundException if there is no registered, unrevoked agent with that id
     */
    void revoke(String token, String agentId);

    /**
     * Checks chain (this CA), validity period, agent form and revocation (database lookup). Anybody may ask about any
     * certificate (certificates are public), so every call counts against the caller's address's unauthenticated
     * rate limit.
     */
    CertificateVerification verify(String certPem);

    /**
     * {@link #verify} for a certificate its holder presented as its TLS client certificate, so the holder proved in
     * the handshake that it has the certificate's key: the same checks and audit record, but, as with logins, only
     * a refused certificate counts against the address's unauthenticated rate limit (an address already over it is
     * refused). A fleet of agents behind one address (a NAT, a node) that reconnects at once after a failover is
     * then not throttled, while anybody presenting certificates that are not valid still is.
     */
    CertificateVerification verifyPresented(String certPem);
}
