package io.secrethub.core.authz;

import static io.secrethub.core.policy.Capability.READ;
import static io.secrethub.core.policy.Capability.UPDATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Caching compiled ACLs by policy-name set, and invalidating them when a policy changes. */
class AclCacheTest {

    private final Map<String, Policy> store = new ConcurrentHashMap<>();
    private final List<String> loads = new ArrayList<>();
    private final AclCache cache = new AclCache(name -> {
        synchronized (loads) {
            loads.add(name);
        }
        return Optional.ofNullable(store.get(name));
    });

    @Test
    void samePolicySetInAnyOrderSharesOneCompiledAcl() {
        store.put("a", Policy.builder("a").path("secret/a/*", READ).build());
        store.put("b", Policy.builder("b").path("secret/b/*", READ).build());

        Acl first = cache.acl(List.of("b", "a"));
        Acl second = cache.acl(List.of("a", "b"));
        Acl third = cache.acl(Set.of("a", "b"));
        Acl withDuplicate = cache.acl(List.of("a", "b", "a"));

        assertThat(second).isSameAs(first);
        assertThat(third).isSameAs(first);
        assertThat(withDuplicate).isSameAs(first);
        assertThat(loads).containsExactly("a", "b");
        assertThat(cache.size()).isEqualTo(1);
        assertThat(first.allowed("secret/b/x", READ)).isTrue();
    }

    @Test
    void aPolicyChangeTakesEffectForTheNextLookupAfterInvalidation() {
        store.put("app", Policy.builder("app").path("secret/app/*", READ).build());
        assertThat(cache.acl(List.of("app")).allowed("secret/app/x", UPDATE)).isFalse();

        store.put("app", Policy.builder("app").path("secret/app/*", READ, UPDATE).build());
        assertThat(cache.acl(List.of("app")).allowed("secret/app/x", UPDATE)).as("still cached").isFalse();
        cache.invalidate("app");

        assertThat(cache.acl(List.of("app")).allowed("secret/app/x", UPDATE)).isTrue();
    }

    @Test
    void unknownPoliciesGrantNothing() {
        store.put("a", Policy.builder("a").path("secret/a/*", READ).build());
        Acl acl = cache.acl(List.of("a", "deleted"));
        assertThat(acl.allowed("secret/a/x", READ)).isTrue();
        assertThat(cache.acl(List.of("deleted")).allowed("secret/a/x", READ)).isFalse();
    }

    @Test
    void defaultFallsBackToTheBuiltInAndCanBeOverridden() {
        assertThat(cache.acl(List.of("default")).allowed("auth/token/lookup-self", READ)).isTrue();

        store.put("default", Policy.builder("default").path("auth/token/lookup-self", Capability.DENY).build());
        cache.invalidate("default");
        assertThat(cache.acl(List.of("default")).allowed("auth/token/lookup-self", READ)).isFalse();
    }

    @Test
    void rootIsBuiltInAndExclusive() {
        assertThat(cache.acl(List.of("root")).isRoot()).isTrue();
        assertThat(loads).isEmpty();
        assertThatThrownBy(() -> cache.acl(List.of("default", "root"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCacheStaysBounded() {
        AclCache small = new AclCache(name -> Optional.empty(), 3);
        for (int i = 0; i < 10; i++) {
            small.acl(List.of("p" + i));
            assertThat(small.size()).isLessThanOrEqualTo(3);
        }
    }

    @Test
    void aCallersListIsCopiedBeforeItIsStored() {
        List<String> names = new ArrayList<>(List.of("a", "b"));
        Acl acl = cache.acl(names);
        names.set(0, "z");
        assertThat(cache.acl(List.of("a", "b"))).isSameAs(acl);
    }
}
