package io.secrethub.core;

/**
 * The audit record of a call could not be made durable, so the call failed closed: no secret was
 * returned and no write was acknowledged (an unacknowledged write was rolled back).
 */
public class AuditUnavailableException extends SecretHubException {

    private static final long serialVersionUID = 1L;

    public AuditUnavailableException(String message) {
        super(message);
    }

    public AuditUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
