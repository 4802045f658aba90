package io.secrethub.core;

import java.util.List;

/**
 * What {@code sys().initialize(…)} hands out exactly once: the unseal key shares and the root token.
 * Neither is stored anywhere (the database holds only the root key encrypted under the unseal key,
 * and a hash of the root token), so whoever initializes must distribute and keep them.
 *
 * <p>{@link #toString()} does not print them, so an accidental log line leaks nothing.
 *
 * @param shares the unseal key shares as text; any {@code threshold} of them unseal an instance
 * @param rootToken a token with the {@code root} policy and no expiry
 */
public record InitResult(List<String> shares, String rootToken) {

    public InitResult {
        shares = List.copyOf(shares);
    }

    @Override
    public String toString() {
        return "InitResult[" + shares.size() + " shares, root token (redacted)]";
    }
}
