package io.secrethub.core;

/**
 * The token is missing, unknown, revoked or expired. The message never repeats the token.
 */
public class InvalidTokenException extends SecretHubException {

    private static final long serialVersionUID = 1L;

    public InvalidTokenException(String message) {
        super(message);
    }

    public InvalidTokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
