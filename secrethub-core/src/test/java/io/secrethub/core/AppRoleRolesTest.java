package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import io.secrethub.core.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** appRole().readRole / deleteRole: Vault's GET and DELETE auth/approle/role/:name. */
class AppRoleRolesTest {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase(8);

    static SecretHub hub;
    static String root;

    @BeforeAll
    static void setUp() {
        hub = SecretHub.builder().dataSource(DB.dataSource()).build();
        root = TestHubs.initAndUnseal(hub).rootToken();
        hub.policies().write(root, Policy.builder("web").path("secret/data/web/*", Capability.READ).build());
    }

    @AfterAll
    static void close() {
        hub.close();
    }

    @Test
    void readReturnsWhatWasWritten() {
        hub.auth().appRole().writeRole(root, "web", AppRoleSettings.builder().policies("web")
                .tokenTtl(Duration.ofMinutes(20)).tokenMaxTtl(Duration.ofHours(1)).secretIdTtl(Duration.ofDays(1))
                .secretIdNumUses(3).boundCidrs("10.0.0.0/8").build());
        AppRoleSettings read = hub.auth().appRole().readRole(root, "web");
        assertThat(read.policies()).containsExactly("web");
        assertThat(read.tokenTtl()).isEqualTo(Duration.ofMinutes(20));
        assertThat(read.tokenMaxTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(read.secretIdTtl()).isEqualTo(Duration.ofDays(1));
        assertThat(read.secretIdNumUses()).isEqualTo(3);
        assertThat(read.boundCidrs()).extracting(Object::toString).containsExactly("10.0.0.0/8");
        assertThatThrownBy(() -> hub.auth().appRole().readRole(root, "none")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deleteRemovesTheRoleAndItsSecretIds() {
        hub.auth().appRole().writeRole(root, "gone", AppRoleSettings.builder().policies("web").build());
        String roleId = hub.auth().appRole().roleId(root, "gone");
        String secretId = hub.auth().appRole().generateSecretId(root, "gone").secretId();
        LoginResult before = hub.auth().appRole().login(roleId, secretId, null);

        hub.auth().appRole().deleteRole(root, "gone");
        assertThatThrownBy(() -> hub.auth().appRole().login(roleId, secretId, null))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> hub.auth().appRole().readRole(root, "gone")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> hub.auth().appRole().deleteRole(root, "gone")).isInstanceOf(NotFoundException.class);
        // Tokens already issued live on, as in Vault.
        assertThat(hub.auth().tokens().lookup(before.token()).policies()).contains("web");
    }

    @Test
    void readAndDeleteNeedTheirCapabilities() {
        hub.auth().appRole().writeRole(root, "guarded", AppRoleSettings.builder().build());
        LoginResult plain = hub.auth().tokens().create(root, List.of("web"), Duration.ofHours(1), null);
        assertThatThrownBy(() -> hub.auth().appRole().readRole(plain.token(), "guarded"))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> hub.auth().appRole().deleteRole(plain.token(), "guarded"))
                .isInstanceOf(PermissionDeniedException.class);
    }
}
