/**
 * Agents with X.509 client certificates from the hub's internal CA ({@link io.secrethub.core.pki}).
 *
 * <p>Policy paths: {@code agents/<agentId>} — register needs {@code create}, revoke {@code delete}.
 * Renewal and verification present no token (the certificate, and for renewal a CSR signed with the
 * certificate's key, is the proof) and are audited. Revocation is checked by a database lookup of the
 * serial on every verification; a serial this database never issued counts as revoked.
 * Internal: the public API is {@link io.secrethub.core.Agents}.
 */
package io.secrethub.core.agents;
