package io.secrethub.core.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenCacheTest {

    private static final long TTL = Duration.ofSeconds(1).toNanos();

    private final AtomicLong now = new AtomicLong(1_000);
    private final TokenCache cache = new TokenCache(TTL, now::get);

    @Test
    void aFullCacheDropsItsExpiredEntriesAndKeepsTheFreshOnes() {
        for (int i = 0; i < TokenCache.MAX_ENTRIES - 1; i++) {
            cache.put(key(i), entry("used-once-" + i), cache.generation());
        }
        now.addAndGet(TTL); // every entry so far is stale now
        TokenCache.Key hot = key(-1);
        cache.put(hot, entry("hot"), cache.generation());
        assertThat(cache.size()).isEqualTo(TokenCache.MAX_ENTRIES);

        cache.put(key(-2), entry("next"), cache.generation());

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get(hot).accessor()).isEqualTo("hot");
        assertThat(cache.get(key(-2)).accessor()).isEqualTo("next");
    }

    @Test
    void aCacheFullOfFreshEntriesIsCleared() {
        for (int i = 0; i < TokenCache.MAX_ENTRIES; i++) {
            cache.put(key(i), entry("fresh-" + i), cache.generation());
        }

        cache.put(key(-1), entry("next"), cache.generation());

        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.get(key(0))).isNull();
        assertThat(cache.get(key(-1)).accessor()).isEqualTo("next");
    }

    @Test
    void anEntryIsServedUntilItsTtlEnds() {
        cache.put(key(1), entry("a"), cache.generation());
        now.addAndGet(TTL - 1);
        assertThat(cache.get(key(1))).isNotNull();
        now.addAndGet(1);
        assertThat(cache.get(key(1))).isNull();
        assertThat(cache.size()).isZero();
    }

    private static TokenCache.Key key(int i) {
        return new TokenCache.Key(ByteBuffer.allocate(32).putInt(i).array());
    }

    private static TokenEntry entry(String accessor) {
        Instant created = Instant.parse("2026-12-03T00:00:00Z");
        return new TokenEntry(accessor, List.of("default"), "test", null, created, Duration.ofHours(1),
                created.plus(Duration.ofHours(1)), created.plus(Duration.ofHours(2)), null);
    }
}
