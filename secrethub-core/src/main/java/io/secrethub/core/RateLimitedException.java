package io.secrethub.core;

import java.time.Duration;

/**
 * A call that presents no token (agent certificate verification, an AppRole login after failed ones) came from a
 * client address that is over its rate limit, so it was refused before it did any work or cost an audit record.
 * Try again after {@link #retryAfter()}. A server answers it with HTTP 429, as Vault does for its rate limit
 * quotas.
 */
public class RateLimitedException extends SecretHubException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public RateLimitedException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** How long until the address may make one more such call. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
