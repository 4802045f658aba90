/**
 * KV v2 secrets: path rules, the encrypted version store, and the {@code hub.secrets()} facade.
 * Internal: not part of the public API.
 */
package io.secrethub.core.secrets;
