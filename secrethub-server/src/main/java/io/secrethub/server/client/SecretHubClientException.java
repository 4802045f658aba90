package io.secrethub.server.client;

import java.util.List;

/**
 * An answer other than 2xx: the status and Vault's {@code errors}. Its subtypes are the failures without an answer:
 * {@link ServerUnavailableException} (no server could be reached, nothing was applied) and
 * {@link WriteOutcomeUnknownException} (a write was sent and no answer came back).
 */
public class SecretHubClientException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final List<String> errors;

    public SecretHubClientException(int status, List<String> errors) {
        super("HTTP " + status + (errors.isEmpty() ? "" : ": " + String.join("; ", errors)));
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    /** For the subtypes: a failure without an answer ({@code status} as documented there), and its cause. */
    protected SecretHubClientException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errors = List.of(message);
    }

    public int status() {
        return status;
    }

    public List<String> errors() {
        return errors;
    }
}
