package io.secrethub.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.crypto.KeyMaterial;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The role cache never keeps a role it loaded before a change that cleared it (generation fence), and zeroes the
 * HMAC key of every role that leaves it, but not under a login still using it.
 */
class RoleCacheTest {

    private static RoleEntry role(String policy) {
        return new RoleEntry("r", KeyMaterial.hmacSha256(new byte[KeyMaterial.KEY_BYTES]), List.of(policy),
                Duration.ofMinutes(1), Duration.ofMinutes(2), List.of(), System.nanoTime());
    }

    /** The role as a login gets it, released at once (as a login does once it has its HMAC). */
    private static RoleEntry get(RoleCache cache, UUID id, Function<UUID, RoleEntry> loader) {
        RoleCache.Slot slot = cache.acquire(id, loader);
        if (slot == null) {
            return null;
        }
        slot.release();
        return slot.role();
    }

    @Test
    void aRoleLoadedWhileTheCacheWasClearedIsNotCached() {
        RoleCache cache = new RoleCache(Duration.ofMinutes(10).toNanos());
        UUID id = UUID.randomUUID();
        AtomicInteger loads = new AtomicInteger();
        RoleEntry old = get(cache, id, rid -> {
            loads.incrementAndGet();
            RoleEntry readBeforeTheWrite = role("old");
            cache.clear(); // the role is written (and the cache cleared) while this load is under way
            return readBeforeTheWrite;
        });
        assertThat(old.tokenPolicies()).containsExactly("old");
        assertThat(old.hmacKey().isDestroyed()).as("the key of the role not kept").isTrue();
        RoleEntry next = get(cache, id, rid -> {
            loads.incrementAndGet();
            return role("new");
        });
        assertThat(next.tokenPolicies()).as("the stale role was not cached").containsExactly("new");
        assertThat(get(cache, id, rid -> role("never"))).isSameAs(next);
        assertThat(loads).hasValue(2);
    }

    @Test
    void clearZeroesTheKeysOfCachedRoles() {
        RoleCache cache = new RoleCache(Duration.ofMinutes(10).toNanos());
        RoleEntry first = get(cache, UUID.randomUUID(), rid -> role("a"));
        RoleEntry second = get(cache, UUID.randomUUID(), rid -> role("b"));
        assertThat(first.hmacKey().isDestroyed()).as("cached, in use by later logins").isFalse();

        cache.clear();

        assertThat(first.hmacKey().isDestroyed()).isTrue();
        assertThat(second.hmacKey().isDestroyed()).isTrue();
    }

    @Test
    void aKeyInUseByALoginIsZeroedWhenThatLoginLetsGo() {
        RoleCache cache = new RoleCache(Duration.ofMinutes(10).toNanos());
        UUID id = UUID.randomUUID();
        get(cache, id, rid -> role("a"));
        RoleCache.Slot inUse = cache.acquire(id, rid -> role("never"));

        cache.clear(); // a role write on this instance while a login holds the key

        assertThat(inUse.role().hmacKey().isDestroyed()).as("the login can still compute its HMAC").isFalse();
        inUse.role().hmacKey().mac();
        inUse.release();
        assertThat(inUse.role().hmacKey().isDestroyed()).isTrue();
    }

    @Test
    void evictedAndUncachedRolesHaveTheirKeysZeroed() {
        RoleCache expiring = new RoleCache(1); // every entry is stale at once
        UUID id = UUID.randomUUID();
        RoleEntry first = get(expiring, id, rid -> role("a"));
        RoleEntry reloaded = get(expiring, id, rid -> role("b"));
        assertThat(first.hmacKey().isDestroyed()).as("replaced by a fresher copy").isTrue();
        assertThat(reloaded.hmacKey().isDestroyed()).isFalse();

        RoleEntry gone = get(expiring, id, rid -> null); // the role was deleted
        assertThat(gone).isNull();
        assertThat(reloaded.hmacKey().isDestroyed()).as("its role is gone").isTrue();

        RoleCache off = new RoleCache(0);
        RoleEntry uncached = get(off, UUID.randomUUID(), rid -> role("c"));
        assertThat(uncached.hmacKey().isDestroyed()).as("never cached: zeroed after its login").isTrue();
    }

    @Test
    void wipeZeroesEveryKeyAtOnce() {
        RoleCache cache = new RoleCache(Duration.ofMinutes(10).toNanos());
        UUID id = UUID.randomUUID();
        get(cache, id, rid -> role("a"));
        RoleCache.Slot inUse = cache.acquire(id, rid -> role("never"));
        cache.wipe();
        assertThat(inUse.role().hmacKey().isDestroyed()).as("sealing takes every key, in use or not").isTrue();
        inUse.release();
    }

    @Test
    void aRoleLoadedWhileTheCacheWasWipedIsNotCached() {
        RoleCache cache = new RoleCache(Duration.ofMinutes(10).toNanos());
        UUID id = UUID.randomUUID();
        RoleEntry loadedBeforeSeal = role("old");
        get(cache, id, rid -> {
            cache.wipe(); // the instance seals while this load is under way
            return loadedBeforeSeal;
        });
        RoleEntry next = get(cache, id, rid -> role("new"));
        assertThat(next).as("the role loaded before the seal was not kept").isNotSameAs(loadedBeforeSeal);
        assertThat(next.tokenPolicies()).containsExactly("new");
    }
}
