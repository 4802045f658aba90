package io.secrethub.perftests;

import io.secrethub.core.AppRoleSettings;
import io.secrethub.core.SecretHub;
import java.time.Duration;

/**
 * The token a provisioning service registers agents with: from an AppRole login under the {@code registrar}
 * policy, not the root token, so registrations pay for a real policy check as they would in production.
 */
final class Registrar {

    /** Outlives a scaled-up run: an expired token would show as errors, not as slowness. */
    static final Duration TOKEN_TTL = Duration.ofHours(2);

    private Registrar() {
    }

    /** Creates the {@code registrar} role for {@code policy} (which must exist) and logs in with it. */
    static String token(SecretHub hub, String rootToken, String policy) {
        hub.auth().appRole().writeRole(rootToken, "registrar", AppRoleSettings.builder()
                .policies(policy)
                .tokenTtl(TOKEN_TTL).tokenMaxTtl(TOKEN_TTL)
                .build());
        String roleId = hub.auth().appRole().roleId(rootToken, "registrar");
        String secretId = hub.auth().appRole().generateSecretId(rootToken, "registrar").secretId();
        return hub.auth().appRole().login(roleId, secretId, "127.0.0.1").token();
    }
}
