package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHub;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The policy, auth and agent facades refuse to work while sealed, like every other call. */
@UnsealedHub
class SealedFacadesTest {

    @Test
    void everyNewFacadeFailsWhileSealed(HubFixture fixture) {
        try (SecretHub hub = fixture.hub()) {
            String root = fixture.rootToken();
            hub.auth().appRole().writeRole(root, "r", AppRoleSettings.builder().build());
            String roleId = hub.auth().appRole().roleId(root, "r");
            String secretId = hub.auth().appRole().generateSecretId(root, "r").secretId();
            AgentRegistration reg = hub.agents()
                    .register(root, "a1", AgentCredentials.generate("a1").csrPem(), Map.of());
            hub.sys().seal(root);

            assertThatThrownBy(()
                    -> hub.policies().write(root, Policy.builder("p").path("x/*", Capability.READ).build()))
                    .isInstanceOf(SealedException.class);
            assertThatThrownBy(() -> hub.policies().list(root)).isInstanceOf(SealedException.class);
            assertThatThrownBy(() -> hub.auth().appRole().login(roleId, secretId, null))
                    .isInstanceOf(SealedException.class);
            assertThatThrownBy(() -> hub.auth().appRole().login(UUID.randomUUID().toString(), "x", null))
                    .isInstanceOf(SealedException.class);
            assertThatThrownBy(() -> hub.auth().tokens().lookup(root)).isInstanceOf(SealedException.class);
            assertThatThrownBy(() -> hub.agents().verify(reg.certificatePem())).isInstanceOf(SealedException.class);
            assertThatThrownBy(()
                    -> hub.agents().register(root, "a2", AgentCredentials.generate("a2").csrPem(), Map.of()))
                    .isInstanceOf(SealedException.class);
            assertThatThrownBy(() -> hub.leases().lookup(root, "auth/approle/login/x"))
                    .isInstanceOf(SealedException.class);
            assertThatThrownBy(() -> hub.leases().revoke(root, "auth/approle/login/x"))
                    .isInstanceOf(SealedException.class);
            assertThatThrownBy(() -> hub.leases().revokePrefix(root, "auth/")).isInstanceOf(SealedException.class);
            assertThatThrownBy(() -> hub.leases().irrevocable(root, 10)).isInstanceOf(SealedException.class);
            assertThatThrownBy(() -> hub.database().readConfig(root, "x")).isInstanceOf(SealedException.class);
            assertThatThrownBy(() -> hub.database().creds(root, "x")).isInstanceOf(SealedException.class);

            fixture.unseal(hub);
            hub.auth().appRole().login(roleId, secretId, null); // role keys and CA come back after unseal
            org.assertj.core.api.Assertions.assertThat(hub.agents().verify(reg.certificatePem()).isValid()).isTrue();
        }
    }
}
