package io.secrethub.server.http;

import io.secrethub.core.AuditUnavailableException;
import io.secrethub.core.CheckAndSetException;
import io.secrethub.core.InvalidRequestException;
import io.secrethub.core.InvalidTokenException;
import io.secrethub.core.NotFoundException;
import io.secrethub.core.OverloadedException;
import io.secrethub.core.PermissionDeniedException;
import io.secrethub.core.RateLimitedException;
import io.secrethub.core.SealedException;
import java.util.List;

/**
 * Core exceptions to Vault's status codes and error texts, which clients match on. Core messages carry no
 * secret material (a core rule); the texts clients depend on are Vault's fixed ones.
 */
public final class CoreErrors {

    public static final String PERMISSION_DENIED = "permission denied";
    public static final String SEALED = "Vault is sealed";
    public static final String CAS_MISMATCH = "check-and-set parameter did not match the current version";
    /** Vault's text when a rate limit quota refuses a request (HTTP 429). */
    public static final String RATE_LIMITED = "rate limit quota exceeded";

    private CoreErrors() {
    }

    /** The answer for {@code failure}, or empty for an unexpected one (an internal error). */
    public static ApiException map(RuntimeException failure) {
        if (failure instanceof ApiException api) {
            return api;
        }
        if (failure instanceof SealedException) {
            return new ApiException(503, SEALED);
        }
        if (failure instanceof InvalidTokenException || failure instanceof PermissionDeniedException) {
            return new ApiException(403, PERMISSION_DENIED);
        }
        if (failure instanceof RateLimitedException) {
            // Too many calls without a token from this address (core refused it before auditing it), as Vault's
            // rate limit quotas answer.
            return new ApiException(429, RATE_LIMITED);
        }
        if (failure instanceof OverloadedException) {
            // Refused before any work: the queue for a place to run was too long. 503, as for a standby or
            // overloaded Vault, tells clients to try again (or another instance).
            return new ApiException(503, failure.getMessage());
        }
        if (failure instanceof NotFoundException) {
            return new ApiException(404, List.of());
        }
        if (failure instanceof CheckAndSetException) {
            return new ApiException(400, CAS_MISMATCH);
        }
        if (failure instanceof InvalidRequestException) {
            return new ApiException(400, failure.getMessage());
        }
        if (failure instanceof AuditUnavailableException) {
            // Vault fails closed the same way when no audit device can take the record.
            return new ApiException(500, "internal error");
        }
        return null;
    }
}
