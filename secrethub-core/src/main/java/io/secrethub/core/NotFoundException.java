package io.secrethub.core;

/**
 * Nothing exists at the path (or the requested version was deleted, destroyed or pruned).
 */
public class NotFoundException extends SecretHubException {

    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }

    public NotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
