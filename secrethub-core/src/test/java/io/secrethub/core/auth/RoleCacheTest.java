package io.secrethub.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.crypto.KeyMaterial;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The role cache never keeps a role it loaded before a change that cleared it (generation fence). */
class RoleCacheTest {

    private static RoleEntry role(String policy) {
        return new RoleEntry("r", KeyMaterial.randomAes(), List.of(policy), Duration.ofMinutes(1),
                Duration.ofMinutes(2),
                List.of(), System.nanoTime());
    }

    @Test
    void aRoleLoadedWhileTheCacheWasClearedIsNotCached() {
        RoleCache cache = new RoleCache(Duration.ofMinutes(10).toNanos());
        UUID id = UUID.randomUUID();
        AtomicInteger loads = new AtomicInteger();
        RoleEntry old = cache.get(id, rid -> {
            loads.incrementAndGet();
            RoleEntry readBeforeTheWrite = role("old");
            cache.clear(); // the role is written (and the cache cleared) while this load is under way
            return readBeforeTheWrite;
        });
        assertThat(old.tokenPolicies()).containsExactly("old");
        RoleEntry next = cache.get(id, rid -> {
            loads.incrementAndGet();
            return role("new");
        });
        assertThat(next.tokenPolicies()).as("the stale role was not cached").containsExactly("new");
        assertThat(cache.get(id, rid -> role("never"))).isSameAs(next);
        assertThat(loads).hasValue(2);
    }
}
