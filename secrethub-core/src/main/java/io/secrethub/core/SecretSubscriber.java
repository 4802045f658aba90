package io.secrethub.core;

import java.util.Objects;

/**
 * One subscriber of a change pushed by a server ({@link Secrets#changeNotices}): the token it authenticated with
 * and its client address, which the audit record of the delivery names.
 *
 * @param token the subscriber's token (never logged nor stored)
 * @param clientAddress its address, or {@code null} if unknown
 */
public record SecretSubscriber(String token, String clientAddress) {

    public SecretSubscriber {
        Objects.requireNonNull(token, "token");
    }

    /** Hides the token. */
    @Override
    public String toString() {
        return "SecretSubscriber[clientAddress=" + clientAddress + "]";
    }
}
