package io.secrethub.perftests;

import io.secrethub.core.AppRoleSettings;
import io.secrethub.core.LoginResult;
import io.secrethub.core.Secret;
import io.secrethub.core.SecretHub;
import io.secrethub.core.VersionMetadata;
import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * {@link AgentLoadTest}'s mixed phase for the fault and soak suites: 70% reads of a random {@code app/config/}
 * secret, 30% writes of the agent's own status secret, each agent with its own AppRole token under the
 * {@code agent} policy. {@link #prepare} sets the hub up as {@code AgentLoadTest} does (policy, role, secrets).
 */
final class MixedWorkload {

    /** Percent of operations that are reads. */
    static final int READ_PERCENT = 70;
    static final String ROLE = "agent";

    private final SecretHub hub;
    private final String rootToken;
    private final String roleId;
    private final int secretCount;

    private MixedWorkload(SecretHub hub, String rootToken, String roleId, int secretCount) {
        this.hub = hub;
        this.rootToken = rootToken;
        this.roleId = roleId;
        this.secretCount = secretCount;
    }

    /** Writes the {@code agent} policy and role and {@code secretCount} config secrets. */
    static MixedWorkload prepare(SecretHub hub, String rootToken, int secretCount) {
        hub.policies().write(rootToken, Policy.builder(ROLE)
                .path("secret/data/app/*", Capability.READ)
                .path("secret/data/app/mixed/*", Capability.CREATE, Capability.UPDATE, Capability.READ)
                .build());
        hub.auth().appRole().writeRole(rootToken, ROLE, AppRoleSettings.builder()
                .policies(ROLE)
                .tokenTtl(Registrar.TOKEN_TTL).tokenMaxTtl(Registrar.TOKEN_TTL)
                .secretIdTtl(Registrar.TOKEN_TTL)
                .boundCidrs(AgentAddresses.CIDR)
                .build());
        String roleId = hub.auth().appRole().roleId(rootToken, ROLE);
        for (int i = 0; i < secretCount; i++) {
            hub.secrets().write(rootToken, ConfigSecrets.configPath(i), ConfigSecrets.configValue(i));
        }
        return new MixedWorkload(hub, rootToken, roleId, secretCount);
    }

    /** A new secret_id and a login for agent {@code id}, from its own address (set-up, not measured). */
    LoginResult login(int id) {
        String secretId = hub.auth().appRole().generateSecretId(rootToken, ROLE).secretId();
        return hub.auth().appRole().login(roleId, secretId, AgentAddresses.of(id));
    }

    /** The status secret agent {@code id} writes. */
    static String statusPath(int id) {
        return "app/mixed/agent-" + id;
    }

    /** What agent {@code id} writes as its {@code n}-th status. */
    static Map<String, String> status(int id, long n) {
        return Map.of("agent", Integer.toString(id), "n", Long.toString(n));
    }

    /** Whether the next operation is a read, drawn from {@code random}. */
    static boolean nextIsRead(RandomGenerator random) {
        return random.nextInt(100) < READ_PERCENT;
    }

    /** Reads config secret {@code n} and checks its value (a fast wrong answer is not a pass). */
    Secret read(String token, int n) {
        Secret secret = SecretReads.read(hub, token, ConfigSecrets.configPath(n));
        ConfigSecrets.requireConfigValue(secret, n);
        return secret;
    }

    /** A random config secret number. */
    int randomSecret(RandomGenerator random) {
        return random.nextInt(secretCount);
    }

    /** Writes agent {@code id}'s {@code n}-th status; returns the version it got. */
    VersionMetadata write(String token, int id, long n) {
        return hub.secrets().write(token, statusPath(id), status(id, n));
    }
}
