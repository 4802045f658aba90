/**
 * Tokens: creation, hashed storage, cached lookup and revocation. A token is {@code shs.} followed by
 * 256 random bits; the database stores only its HMAC-SHA256 under a key derived from the keyring,
 * plus a random accessor that names the token without being able to use it. Internal: not part of
 * the public API; AppRole logins create tokens through {@link io.secrethub.core.token.TokenStore}.
 */
package io.secrethub.core.token;
