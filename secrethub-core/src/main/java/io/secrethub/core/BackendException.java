package io.secrethub.core;

/**
 * A system SecretHub manages credentials on (a PostgreSQL server of the database secrets engine)
 * failed or refused: it could not be reached, or a creation, renewal or revocation statement failed.
 * The message names the step and the SQLSTATE, never a password or a statement's text.
 */
public class BackendException extends SecretHubException {

    private static final long serialVersionUID = 1L;

    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
