package io.secrethub.core;

import io.secrethub.core.runtime.HubInternals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHubExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** AppRole: secret_id TTL and use limits, CIDR binding, no oracle, and the tokens it issues. */
class AppRoleLoginTest {

    static final MutableClock CLOCK = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    @RegisterExtension
    static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(b -> b.clock(CLOCK)).poolSize(40);

    static SecretHub hub;
    static String root;

    @BeforeAll
    static void setUp(HubFixture fixture) {
        hub = fixture.hub();
        root = fixture.rootToken();
        hub.policies().write(root, Policy.builder("web").path("secret/data/web/*", Capability.READ).build());
        hub.secrets().write(root, "web/cfg", Map.of("k", "v"));
    }

    @Test
    void loginIssuesATokenWithDefaultAndRolePolicies() {
        hub.auth().appRole().writeRole(root, "web", AppRoleSettings.builder().policies("web")
                .tokenTtl(Duration.ofMinutes(20)).tokenMaxTtl(Duration.ofHours(1)).build());
        String roleId = hub.auth().appRole().roleId(root, "web");
        SecretIdResult sid = hub.auth().appRole().generateSecretId(root, "web");
        assertThat(sid.secretId()).startsWith("shsid.").hasSizeGreaterThanOrEqualTo(6 + 43);
        assertThat(sid.toString()).doesNotContain(sid.secretId());

        LoginResult login = hub.auth().appRole().login(roleId, sid.secretId(), "10.1.2.3");
        assertThat(login.token()).startsWith("shs.");
        assertThat(login.policies()).containsExactly("default", "web");
        assertThat(login.ttl()).isEqualTo(Duration.ofMinutes(20));
        assertThat(hub.secrets().read(login.token(), "web/cfg").data()).containsEntry("k", "v");
        assertThat(hub.auth().tokens().lookup(login.token()).displayName()).isEqualTo("approle:web");

        // updating the role keeps role_id and issued secret_ids valid
        hub.auth().appRole().writeRole(root, "web", AppRoleSettings.builder().policies("web").build());
        assertThat(hub.auth().appRole().roleId(root, "web")).isEqualTo(roleId);
        hub.auth().appRole().login(roleId, sid.secretId(), null);
    }

    @Test
    void wrongRoleIdAndWrongSecretIdAreIndistinguishable() {
        hub.auth().appRole().writeRole(root, "same", AppRoleSettings.builder().build());
        String roleId = hub.auth().appRole().roleId(root, "same");
        String secretId = hub.auth().appRole().generateSecretId(root, "same").secretId();
        List<String> messages = new ArrayList<>();
        for (String[] attempt : new String[][] {
                {UUID.randomUUID().toString(), secretId},
                {roleId, "shsid.wrong"},
                {"not-a-uuid", secretId},
                {roleId, null}}) {
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                    () -> hub.auth().appRole().login(attempt[0], attempt[1], null));
            assertThat(t).isInstanceOf(PermissionDeniedException.class);
            assertThat(t.getMessage()).doesNotContain(secretId);
            messages.add(t.getMessage());
        }
        assertThat(messages).containsOnly(messages.get(0));
        List<AuditRecord> records = hub.audit().records(root, 1, 10_000);
        assertThat(records)
                .filteredOn(r -> r.operation().equals("auth.approle.login") && r.outcome() == AuditOutcome.DENIED)
                .hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void expiredSecretIdsAreRefused() {
        hub.auth().appRole()
                .writeRole(root, "short", AppRoleSettings.builder().secretIdTtl(Duration.ofMinutes(5)).build());
        String roleId = hub.auth().appRole().roleId(root, "short");
        SecretIdResult sid = hub.auth().appRole().generateSecretId(root, "short");
        assertThat(sid.expiresAt()).isEqualTo(CLOCK.instant().plus(Duration.ofMinutes(5)));
        hub.auth().appRole().login(roleId, sid.secretId(), null);
        CLOCK.advance(Duration.ofMinutes(6));
        assertThatThrownBy(() -> hub.auth().appRole().login(roleId, sid.secretId(), null))
                .isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    void numUsesAllowsExactlyThatManyLoginsUnderConcurrency() throws Exception {
        int uses = 5;
        hub.auth().appRole().writeRole(root, "limited", AppRoleSettings.builder().secretIdNumUses(uses).build());
        String roleId = hub.auth().appRole().roleId(root, "limited");
        String secretId = hub.auth().appRole().generateSecretId(root, "limited").secretId();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        hub.auth().appRole().login(roleId, secretId, null);
                        return true;
                    } catch (PermissionDeniedException e) {
                        return false;
                    }
                }));
            }
            start.countDown();
            int succeeded = 0;
            for (Future<Boolean> f : results) {
                succeeded += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(succeeded).isEqualTo(uses);
        } finally {
            pool.shutdownNow();
        }
        assertThatThrownBy(() -> hub.auth().appRole().login(roleId, secretId, null))
                .isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    void cidrBindingAdmitsOnlyAddressesInside() {
        hub.auth().appRole().writeRole(root, "bound",
                AppRoleSettings.builder().boundCidrs("10.0.0.0/8", "2001:db8::/32").build());
        String roleId = hub.auth().appRole().roleId(root, "bound");
        String secretId = hub.auth().appRole().generateSecretId(root, "bound").secretId();
        hub.auth().appRole().login(roleId, secretId, "10.200.3.4");
        hub.auth().appRole().login(roleId, secretId, "2001:db8:0:1::7");
        for (String outside : new String[] {"11.0.0.1", "2001:db9::1", "::1", null}) {
            assertThatThrownBy(() -> hub.auth().appRole().login(roleId, secretId, outside))
                    .isInstanceOf(PermissionDeniedException.class);
        }
        assertThatThrownBy(() -> hub.auth().appRole().login(roleId, secretId, "localhost"))
                .isInstanceOf(InvalidRequestException.class); // a name is never resolved
        assertThatThrownBy(() -> hub.auth().appRole().login(roleId, secretId, "010.0.0.1"))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> AppRoleSettings.builder().boundCidrs("10.0.0.0/33"))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> AppRoleSettings.builder().boundCidrs("example.com/8"))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void adminCallsNeedTheirCapabilities() {
        String token = HubInternals.tokens(hub).create(new io.secrethub.core.token.TokenSpec(List.of("default"), "t",
                Duration.ofHours(1), null, null)).token();
        assertThatThrownBy(() -> hub.auth().appRole().writeRole(token, "x", AppRoleSettings.builder().build()))
                .isInstanceOf(PermissionDeniedException.class);
        hub.policies().write(root, Policy.builder("sid-maker")
                .path("auth/approle/role/maker/secret-id", Capability.UPDATE)
                .path("auth/approle/role/maker/role-id", Capability.READ).build());
        hub.auth().appRole().writeRole(root, "maker", AppRoleSettings.builder().build());
        String maker = HubInternals.tokens(hub)
                .create(new io.secrethub.core.token.TokenSpec(List.of("default", "sid-maker"), "t",
                Duration.ofHours(1), null, null)).token();
        hub.auth().appRole().generateSecretId(maker, "maker");
        hub.auth().appRole().roleId(maker, "maker");
        assertThatThrownBy(() -> hub.auth().appRole().generateSecretId(maker, "web"))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> AppRoleSettings.builder().policies("root"))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void readRoleReturnsWhatWasWritten() {
        hub.auth().appRole().writeRole(root, "readback", AppRoleSettings.builder().policies("web")
                .tokenTtl(Duration.ofMinutes(20)).tokenMaxTtl(Duration.ofHours(1)).secretIdTtl(Duration.ofDays(1))
                .secretIdNumUses(3).boundCidrs("10.0.0.0/8").build());
        AppRoleSettings read = hub.auth().appRole().readRole(root, "readback");
        assertThat(read.policies()).containsExactly("web");
        assertThat(read.tokenTtl()).isEqualTo(Duration.ofMinutes(20));
        assertThat(read.tokenMaxTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(read.secretIdTtl()).isEqualTo(Duration.ofDays(1));
        assertThat(read.secretIdNumUses()).isEqualTo(3);
        assertThat(read.boundCidrs()).extracting(Object::toString).containsExactly("10.0.0.0/8");
        assertThatThrownBy(() -> hub.auth().appRole().readRole(root, "none")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deleteRoleRemovesTheRoleAndItsSecretIds() {
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
    void readingAndDeletingRolesNeedTheirCapabilities() {
        hub.auth().appRole().writeRole(root, "guarded", AppRoleSettings.builder().build());
        LoginResult plain = hub.auth().tokens().create(root, List.of("web"), Duration.ofHours(1), null);
        assertThatThrownBy(() -> hub.auth().appRole().readRole(plain.token(), "guarded"))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> hub.auth().appRole().deleteRole(plain.token(), "guarded"))
                .isInstanceOf(PermissionDeniedException.class);
    }
}
