package io.secrethub.server.api;

import io.secrethub.core.SecretHub;
import io.secrethub.core.TokenInfo;
import io.secrethub.server.http.ApiException;
import io.secrethub.server.http.CoreErrors;

/**
 * Token checks for the few calls whose core method takes no token (seal, audit verification, auth
 * listing): the server authenticates the caller through the token lookup, which core audits, and requires
 * the {@code root} policy where Vault requires {@code sudo}.
 */
final class Callers {

    private Callers() {
    }

    /** The caller's token info; a missing or invalid token is a 403. */
    static TokenInfo authenticate(SecretHub hub, String token) {
        if (token == null || token.isEmpty()) {
            throw new ApiException(403, CoreErrors.PERMISSION_DENIED);
        }
        return hub.auth().tokens().lookup(token);
    }

    /** Requires a token carrying the {@code root} policy. */
    static void requireRoot(SecretHub hub, String token) {
        if (!authenticate(hub, token).policies().contains("root")) {
            throw new ApiException(403, CoreErrors.PERMISSION_DENIED);
        }
    }
}
