package io.secrethub.core;

/**
 * The request itself is malformed: a bad path, bad data, bad parameters, a rejected unseal share.
 * The message names the problem without repeating secret values.
 */
public class InvalidRequestException extends SecretHubException {

    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message);
    }

    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
