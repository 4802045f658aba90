package io.secrethub.core;

/**
 * The token is valid but its policies do not allow the operation on the path. The denial is audited.
 */
public class PermissionDeniedException extends SecretHubException {

    private static final long serialVersionUID = 1L;

    public PermissionDeniedException(String message) {
        super(message);
    }

    public PermissionDeniedException(String message, Throwable cause) {
        super(message, cause);
    }
}
