/**
 * Initialization, unsealing and sealing. The unseal key exists only as Shamir shares (BouncyCastle
 * {@code ShamirSecretSplitter}, GF(256)) outside the system and, for a moment, in memory while an
 * instance unseals: it decrypts the root key, which opens the keyring. Internal: not part of the
 * public API.
 */
package io.secrethub.core.seal;
