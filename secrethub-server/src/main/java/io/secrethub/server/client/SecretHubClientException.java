package io.secrethub.server.client;

import java.util.List;

/** An answer other than 2xx: the status and Vault's {@code errors}. */
public final class SecretHubClientException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final List<String> errors;

    public SecretHubClientException(int status, List<String> errors) {
        super("HTTP " + status + (errors.isEmpty() ? "" : ": " + String.join("; ", errors)));
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public int status() {
        return status;
    }

    public List<String> errors() {
        return errors;
    }
}
