package io.secrethub.core;

/**
 * Stored data failed authentication: a ciphertext or key was altered, or moved to another path or
 * version. The data is refused, never returned half-verified.
 */
public class IntegrityException extends SecretHubException {

    private static final long serialVersionUID = 1L;

    public IntegrityException(String message) {
        super(message);
    }

    public IntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
