package io.secrethub.core;

/**
 * The database failed (connection lost, statement failed). The call did not complete; a write was
 * rolled back unless its transaction had already committed.
 */
public class StorageException extends SecretHubException {

    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
