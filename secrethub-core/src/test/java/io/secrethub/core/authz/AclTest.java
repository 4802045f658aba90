package io.secrethub.core.authz;

import static io.secrethub.core.policy.Capability.CREATE;
import static io.secrethub.core.policy.Capability.DELETE;
import static io.secrethub.core.policy.Capability.DENY;
import static io.secrethub.core.policy.Capability.LIST;
import static io.secrethub.core.policy.Capability.READ;
import static io.secrethub.core.policy.Capability.SUDO;
import static io.secrethub.core.policy.Capability.UPDATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.policy.Policy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ACL beyond the precedence table: root, default, capability sets, edge cases. */
class AclTest {

    @Test
    void rootAllowsEverything() {
        Acl acl = Acl.compile(Policy.root());

        assertThat(acl.isRoot()).isTrue();
        assertThat(acl.allowed("sys/seal", SUDO)).isTrue();
        assertThat(acl.allowed("any/path/at/all", DELETE)).isTrue();
        assertThat(acl.capabilities("x")).containsExactly(CREATE, READ, UPDATE, DELETE, LIST, SUDO);
    }

    @Test
    void rootCannotBeCombinedWithOtherPolicies() {
        assertThatThrownBy(() -> Acl.compile(Policy.root(), Policy.defaultPolicy()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("root policy cannot be combined");
    }

    @Test
    void defaultPolicyCoversTheTokensOwnHousekeepingOnly() {
        Acl acl = Acl.compile(Policy.defaultPolicy());

        assertThat(acl.allowed("auth/token/lookup-self", READ)).isTrue();
        assertThat(acl.allowed("auth/token/renew-self", UPDATE)).isTrue();
        assertThat(acl.allowed("auth/token/revoke-self", UPDATE)).isTrue();
        assertThat(acl.allowed("auth/token/lookup-self", UPDATE)).isFalse();
        assertThat(acl.allowed("auth/token/lookup", READ)).isFalse();
        assertThat(acl.allowed("secret/data/app", READ)).isFalse();
        assertThat(acl.isRoot()).isFalse();
    }

    @Test
    void defaultPolicyCombinesWithOthers() {
        Policy app = Policy.builder("app").path("secret/data/app/*", READ, LIST).build();
        Acl acl = Acl.compile(Policy.defaultPolicy(), app);

        assertThat(acl.allowed("secret/data/app/db", READ)).isTrue();
        assertThat(acl.allowed("auth/token/renew-self", UPDATE)).isTrue();
    }

    @Test
    void noPoliciesAllowNothing() {
        Acl acl = Acl.compile(List.of());
        assertThat(acl.allowed("secret/data/app", READ)).isFalse();
        assertThat(acl.capabilities("secret/data/app")).isEmpty();
    }

    @Test
    void capabilitiesAreThoseOfTheDecidingRule() {
        Acl acl = Acl.compile(
                Policy.builder("a").path("secret/*", READ, LIST).path("secret/locked", DENY).build(),
                Policy.builder("b").path("secret/*", UPDATE).path("secret/app/*", CREATE).build());

        assertThat(acl.capabilities("secret/x")).containsExactly(READ, UPDATE, LIST);
        assertThat(acl.capabilities("secret/app/x")).containsExactly(CREATE);
        assertThat(acl.capabilities("secret/locked")).containsExactly(DENY);
        assertThat(acl.capabilities("elsewhere")).isEmpty();
    }

    @Test
    void denyIsNotAnOperation() {
        Acl acl = Acl.compile(Policy.defaultPolicy());
        assertThatThrownBy(() -> acl.allowed("secret/x", DENY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void manyPatternsAtTheSameDepthAreAllTried() {
        Policy.Builder builder = Policy.builder("wide");
        for (char c = 'a'; c <= 'z'; c++) {
            builder.path("secret/" + c + "/+/key", READ);
        }
        Acl acl = Acl.compile(builder.build());

        assertThat(acl.allowed("secret/q/anything/key", READ)).isTrue();
        assertThat(acl.allowed("secret/q/anything/other", READ)).isFalse();
        assertThat(acl.allowed("secret/Q/anything/key", READ)).isFalse();
    }

    @Test
    void patternsMatchIndependentlyOfTheIndex() {
        PathPattern pattern = PathPattern.parse("secret/+/app*");
        assertThat(pattern.matches("secret/x/app")).isTrue();
        assertThat(pattern.matches("secret/x/apple/y")).isTrue();
        assertThat(pattern.matches("secret/x/y/app")).isFalse();
        assertThat(pattern.matches("secret/x")).isFalse();
        assertThat(PathPattern.parse("secret/app").matches("secret/app")).isTrue();
        assertThat(PathPattern.parse("secret/app").matches("secret/apps")).isFalse();
    }
}
