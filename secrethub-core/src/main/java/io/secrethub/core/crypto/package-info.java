/**
 * Cryptographic primitives, all from the JDK (AES-256-GCM, HMAC-SHA256, {@code SecureRandom}) or
 * BouncyCastle (HKDF): nothing home-made. {@link io.secrethub.core.crypto.KeyMaterial} owns key bytes
 * and zeroes them when the instance seals. Internal: not part of the public API.
 */
package io.secrethub.core.crypto;
