package io.secrethub.server.http;

import java.util.List;

/**
 * An answer other than success, with Vault's status code and error texts. Messages are fixed texts or
 * describe the request's shape, never a secret, token or secret_id.
 */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final List<String> errors;

    public ApiException(int status, List<String> errors) {
        super(errors.isEmpty() ? "status " + status : errors.get(0), null, false, false);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public ApiException(int status, String error) {
        this(status, List.of(error));
    }

    public static ApiException badRequest(String error) {
        return new ApiException(400, error);
    }

    /** Vault's 404 without a message, as for a missing secret. */
    public static ApiException notFound() {
        return new ApiException(404, List.of());
    }

    public static ApiException unsupportedOperation() {
        return new ApiException(405, "unsupported operation");
    }

    public int status() {
        return status;
    }

    public List<String> errors() {
        return errors;
    }
}
