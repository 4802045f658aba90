package io.secrethub.core;

/**
 * The root of every error SecretHub reports. It is unchecked so that call sites stay readable; each
 * subclass says what went wrong. Messages name the problem (the path, the operation, the version)
 * but never carry secret material: no secret values, tokens, shares or keys.
 */
public class SecretHubException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SecretHubException(String message) {
        super(message);
    }

    public SecretHubException(String message, Throwable cause) {
        super(message, cause);
    }
}
