package io.secrethub.core.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The cache's own rules, without a database: when it stores what a read loaded, and when it must not. */
class SecretCacheTest {

    private static final SecretStore.StoredVersion V1 =
            new SecretStore.StoredVersion(1, 1, new byte[] {1}, Instant.EPOCH, null, false);

    private final AtomicInteger loads = new AtomicInteger();

    private SecretStore.StoredVersion load() {
        loads.incrementAndGet();
        return V1;
    }

    @Test
    void aCoherentCacheLoadsOncePerPath() {
        SecretCache cache = coherent(10);
        assertThat(cache.latest("a", this::load)).isSameAs(V1);
        assertThat(cache.latest("a", this::load)).isSameAs(V1);
        assertThat(loads).hasValue(1);
        cache.invalidate("a");
        cache.latest("a", this::load);
        assertThat(loads).hasValue(2);
    }

    @Test
    void nothingIsCachedUntilTheListenerListens() {
        SecretCache cache = new SecretCache(10, Duration.ofMinutes(1));
        cache.latest("a", this::load);
        cache.latest("a", this::load);
        assertThat(loads).hasValue(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void aLoadThatRacedAnInvalidationOfItsPathIsNotKept() {
        SecretCache cache = coherent(10);
        // The write commits (and invalidates) while the read is between its database query and its put.
        cache.latest("a", () -> {
            cache.invalidate("a");
            return V1;
        });
        assertThat(cache.contains("a")).isFalse();
    }

    @Test
    void aLoadThatRacedLosingTheListenerIsNotKept() {
        SecretCache cache = coherent(10);
        cache.latest("a", () -> {
            cache.incoherent();
            cache.coherent(); // reconnected, but the change in between may have been missed
            return V1;
        });
        assertThat(cache.contains("a")).isFalse();
    }

    @Test
    void missingSecretsAreNotCachedAndCapacityIsRespected() {
        SecretCache cache = coherent(2);
        assertThat(cache.latest("none", () -> null)).isNull();
        cache.latest("a", this::load);
        cache.latest("b", this::load);
        cache.latest("c", this::load);
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.contains("none")).isFalse();
        assertThat(cache.contains("c")).isFalse();
    }

    @Test
    void anEntryOlderThanItsMaxAgeIsLoadedAgain() {
        SecretCache cache = new SecretCache(10, Duration.ZERO); // every entry is already too old
        cache.coherent();
        cache.latest("a", this::load);
        cache.latest("a", this::load);
        assertThat(loads).hasValue(2);
    }

    @Test
    void aDisabledCacheNeverStores() {
        SecretCache cache = coherent(0);
        cache.latest("a", this::load);
        cache.latest("a", this::load);
        assertThat(loads).hasValue(2);
        assertThat(cache.enabled()).isFalse();
    }

    private static SecretCache coherent(int capacity) {
        SecretCache cache = new SecretCache(capacity, Duration.ofMinutes(1));
        cache.coherent();
        return cache;
    }
}
