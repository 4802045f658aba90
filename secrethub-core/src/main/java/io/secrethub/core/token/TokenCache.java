package io.secrethub.core.token;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Token lookups cached by token hash (never by token) for a short time.
 *
 * <p>The trade-off: a revocation on this instance takes effect immediately (the entry is evicted,
 * and the generation check below stops a lookup that raced with the revocation from re-caching the
 * revoked entry); a revocation made on <em>another</em> instance sharing the database is seen here
 * within the cache TTL (default one second). Expiry is never cached away: it is checked against the
 * cached expiry time on every use. Unknown tokens are not cached, so a token created on another
 * instance works here at once, at the price of one indexed lookup per failed attempt.
 */
final class TokenCache {

    /**
     * At this many entries the expired ones are dropped, and if none had expired (this many tokens used within one
     * TTL) the cache is cleared: cheaper than LRU bookkeeping on every hit, and a full cache of stale entries (every
     * token used once, as AppRole logins make them) no longer takes the hot ones with it.
     */
    static final int MAX_ENTRIES = 100_000;

    private record Cached(TokenEntry entry, long freshUntilNanos) {
    }

    /** A token hash as a map key. */
    static final class Key {
        private final byte[] hash;
        private final int hashCode;

        Key(byte[] hash) {
            this.hash = hash;
            this.hashCode = Arrays.hashCode(hash);
        }

        byte[] bytes() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(hash, k.hash);
        }

        @Override
        public int hashCode() {
            return hashCode;
        }
    }

    private final ConcurrentHashMap<Key, Cached> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final long ttlNanos;
    private final LongSupplier nanoClock;

    TokenCache(long ttlNanos) {
        this(ttlNanos, System::nanoTime);
    }

    /** With the clock that ages entries given (tests). */
    TokenCache(long ttlNanos, LongSupplier nanoClock) {
        this.ttlNanos = ttlNanos;
        this.nanoClock = nanoClock;
    }

    TokenEntry get(Key key) {
        if (ttlNanos <= 0) {
            return null;
        }
        Cached cached = entries.get(key);
        if (cached == null) {
            return null;
        }
        if (nanoClock.getAsLong() - cached.freshUntilNanos() >= 0) {
            entries.remove(key, cached);
            return null;
        }
        return cached.entry();
    }

    /** Read before a database lookup; pass to {@link #put} so a concurrent invalidation wins. */
    long generation() {
        return generation.get();
    }

    void put(Key key, TokenEntry entry, long generationBeforeLookup) {
        if (ttlNanos <= 0) {
            return;
        }
        long now = nanoClock.getAsLong();
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(cached -> now - cached.freshUntilNanos() >= 0);
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        entries.put(key, new Cached(entry, now + ttlNanos));
        if (generation.get() != generationBeforeLookup) {
            // An invalidation ran while we were reading the database: what we read may be revoked.
            entries.remove(key);
        }
    }

    void invalidate(Key key) {
        generation.incrementAndGet();
        entries.remove(key);
    }

    int size() {
        return entries.size();
    }

    void clear() {
        generation.incrementAndGet();
        entries.clear();
    }
}
