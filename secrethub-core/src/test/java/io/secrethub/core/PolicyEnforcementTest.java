package io.secrethub.core;

import io.secrethub.core.runtime.HubInternals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHubExtension;
import io.secrethub.core.token.IssuedToken;
import io.secrethub.core.token.TokenSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Stored policies enforced end to end through the hub, with Vault's precedence rules, and denials audited. */
class PolicyEnforcementTest {

    @RegisterExtension
    static final UnsealedHubExtension HUB =
            UnsealedHubExtension.withSettings(b -> b.authCacheTtl(Duration.ofMinutes(10)));

    static SecretHub hub;
    static String root;

    @BeforeAll
    static void setUp(HubFixture fixture) {
        hub = fixture.hub();
        root = fixture.rootToken();
        for (String path : List.of("app/db", "app/web", "app/admin/key", "team-a/x", "team-b/x", "shared/cfg")) {
            hub.secrets().write(root, path, Map.of("k", "v"));
        }
        // Vault's documented precedence examples: a longer literal prefix beats a shorter one, exact
        // beats glob, '+' segments lose to fewer '+', deny on the deciding rule wins.
        hub.policies().write(root, Policy.builder("reader")
                .path("secret/data/app/*", Capability.READ)
                .path("secret/data/app/admin/*", Capability.DENY)
                .path("secret/metadata/app/*", Capability.LIST)
                .build());
        hub.policies().write(root, Policy.builder("writer")
                .path("secret/data/app/web", Capability.CREATE, Capability.UPDATE)
                .path("secret/data/app/db", Capability.CREATE) // create alone does not allow an upsert
                .build());
        hub.policies().write(root, Policy.builder("teams")
                .path("secret/data/+/x", Capability.READ)
                .path("secret/data/team-b/x", Capability.DENY)
                .build());
        hub.policies().write(root, Policy.builder("ops")
                .path("sys/rotate", Capability.UPDATE) // no sudo
                .path("sys/key-status", Capability.READ)
                .path("sys/audit/*", Capability.READ)
                .path("sys/audit-hash", Capability.UPDATE)
                .build());
        hub.policies().write(root, Policy.builder("auditor")
                .path("sys/audit/*", Capability.READ, Capability.SUDO)
                .path("sys/audit-hash", Capability.UPDATE, Capability.SUDO)
                .build());
    }

    static String token(String... policies) {
        return HubInternals.tokens(hub)
                .create(new TokenSpec(List.of(policies), "test", Duration.ofHours(1), null, null)).token();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("reader reads app/db", List.of("reader"), true, (Consumer<String>) t
                        -> hub.secrets().read(t, "app/db")),
                Arguments.of("deny on the longer prefix wins", List.of("reader"), false, (Consumer<String>) t
                        -> hub.secrets().read(t, "app/admin/key")),
                Arguments.of("no rule: denied", List.of("reader"), false, (Consumer<String>) t
                        -> hub.secrets().read(t, "shared/cfg")),
                Arguments.of("read does not allow write", List.of("reader"), false, (Consumer<String>) t
                        -> hub.secrets().write(t, "app/db", Map.of("k", "w"))),
                Arguments.of("list via metadata glob", List.of("reader"), true, (Consumer<String>) t
                        -> hub.secrets().list(t, "app/")),
                Arguments.of("create+update allows write", List.of("writer"), true, (Consumer<String>) t
                        -> hub.secrets().write(t, "app/web", Map.of("k", "w"))),
                Arguments.of("create alone refuses an upsert", List.of("writer"), false, (Consumer<String>) t
                        -> hub.secrets().write(t, "app/db", Map.of("k", "w"))),
                Arguments.of("+ matches one segment", List.of("teams"), true, (Consumer<String>) t
                        -> hub.secrets().read(t, "team-a/x")),
                Arguments.of("exact deny beats + glob", List.of("teams"), false, (Consumer<String>) t
                        -> hub.secrets().read(t, "team-b/x")),
                Arguments.of("policies merge across a token", List.of("reader", "teams"), true, (Consumer<String>) t
                        -> hub.secrets().read(t, "team-a/x")),
                Arguments.of("rotate needs sudo too", List.of("ops"), false, (Consumer<String>) t
                        -> hub.sys().rotate(t)),
                Arguments.of("key status with read", List.of("ops"), true, (Consumer<String>) t
                        -> hub.sys().keyStatus(t)),
                Arguments.of("audit records need sudo", List.of("ops"), false,
                        (Consumer<String>) t -> hub.audit().records(t, 1, 1)),
                Arguments.of("audit verify needs sudo", List.of("ops"), false,
                        (Consumer<String>) t -> hub.audit().verify(t)),
                Arguments.of("audit hash needs sudo", List.of("ops"), false,
                        (Consumer<String>) t -> hub.audit().hashAccessor(t, "a")),
                Arguments.of("default cannot read the audit log", List.of("default"), false,
                        (Consumer<String>) t -> hub.audit().records(t, 1, 1)),
                Arguments.of("auditor reads the log", List.of("auditor"), true,
                        (Consumer<String>) t -> hub.audit().records(t, 1, 1)),
                Arguments.of("auditor verifies the log", List.of("auditor"), true,
                        (Consumer<String>) t -> hub.audit().verify(t)),
                Arguments.of("auditor hashes accessors", List.of("auditor"), true,
                        (Consumer<String>) t -> hub.audit().hashAccessor(t, "a")),
                Arguments.of("default lets a token look itself up", List.of("default"), true, (Consumer<String>) t
                        -> hub.auth().tokens().lookup(t)),
                Arguments.of("default does not let it read secrets", List.of("default"), false, (Consumer<String>) t
                        -> hub.secrets().read(t, "app/db")),
                Arguments.of("policy admin needs sys/policies/acl", List.of("reader"), false, (Consumer<String>) t
                        -> hub.policies().list(t)),
                Arguments.of("unknown policy grants nothing", List.of("nope"), false, (Consumer<String>) t
                        -> hub.secrets().read(t, "app/db")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void policyCases(String name, List<String> policies, boolean allowed, Consumer<String> call) {
        String token = token(policies.toArray(String[]::new));
        if (allowed) {
            call.accept(token);
        } else {
            assertThatThrownBy(() -> call.accept(token)).isInstanceOf(PermissionDeniedException.class);
        }
    }

    @Test
    void aDenialIsAuditedWithTheCallersAccessor() {
        IssuedToken limited = HubInternals.tokens(hub)
                .create(new TokenSpec(List.of("default"), "test", Duration.ofHours(1), null, null));
        assertThatThrownBy(() -> hub.secrets().read(limited.token(), "app/db"))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageNotContaining(limited.token());
        List<AuditRecord> records = hub.audit().records(root, 1, 10_000);
        assertThat(records).anySatisfy(r -> {
            assertThat(r.operation()).isEqualTo("secrets.read");
            assertThat(r.outcome()).isEqualTo(AuditOutcome.DENIED);
            assertThat(r.error()).isEqualTo("PermissionDeniedException");
            assertThat(r.accessorHmac()).isEqualTo(hub.audit().hashAccessor(root, limited.entry().accessor()));
        });
    }

    @Test
    void aPolicyChangeTakesEffectForTheNextRequest() {
        String token = token("late");
        assertThatThrownBy(() -> hub.secrets().read(token, "shared/cfg")).isInstanceOf(PermissionDeniedException.class);
        hub.policies().write(root, Policy.builder("late").path("secret/data/shared/*", Capability.READ).build());
        hub.secrets().read(token, "shared/cfg");
        assertThat(hub.policies().read(root, "late").rules()).hasSize(1);
        assertThat(hub.policies().list(root)).contains("late", "default", "root", "reader");
        hub.policies().delete(root, "late");
        assertThatThrownBy(() -> hub.secrets().read(token, "shared/cfg")).isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> hub.policies().read(root, "late")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void rootAndDefaultAreProtected() {
        assertThatThrownBy(() -> hub.policies().delete(root, "default")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> hub.policies().delete(root, "root")).isInstanceOf(InvalidRequestException.class);
        assertThat(hub.policies().read(root, "default")).isEqualTo(Policy.defaultPolicy());
    }
}
