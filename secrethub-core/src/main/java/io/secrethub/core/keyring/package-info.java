/**
 * The keyring and the barrier built on it: data keys by term, encrypted under the root key, and the
 * encryption every stored value goes through. Also the keys derived from the keyring for token
 * hashing and the audit log. Internal: not part of the public API.
 */
package io.secrethub.core.keyring;
