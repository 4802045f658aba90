/**
 * SecretHub's internal certificate authority: it issues short-lived client certificates to
 * agents from their PKCS#10 requests and verifies those certificates when an agent presents one.
 *
 * <p>Everything here is storage-free: the caller keeps the CA's private key (encrypted under its
 * keyring) and answers the revocation question, so these types can be tested and benchmarked
 * without a database. All cryptography is BouncyCastle's or the JDK's. Internal: the types callers see
 * ({@link io.secrethub.core.CertificateVerification}, {@link io.secrethub.core.CaKeyType},
 * {@link io.secrethub.core.AgentCredentials}) are in {@code io.secrethub.core}.
 */
package io.secrethub.core.pki;
