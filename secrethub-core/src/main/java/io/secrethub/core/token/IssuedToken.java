package io.secrethub.core.token;

/**
 * A token just created: the only moment its plaintext exists on the server side.
 * {@link #toString()} does not print it.
 */
public record IssuedToken(String token, TokenEntry entry) {

    @Override
    public String toString() {
        return "IssuedToken[token=(redacted), accessor=" + entry.accessor() + "]";
    }
}
