package io.secrethub.core.secrets;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * The latest stored version of hot paths, so a read costs no database round trip: Vault's read cache in front of
 * its storage, kept coherent across instances by PostgreSQL notifications ({@link SecretChangeFeed}).
 *
 * <p>What is cached is the row as stored, ciphertext included: every read still decrypts, checks the path and
 * version bound into the ciphertext, and is audited. No plaintext is kept, and the cache is emptied on seal.
 *
 * <p>Coherence rules:
 * <ul>
 * <li>A write on this instance invalidates its path after it commits and before it returns, so a caller always
 *     reads its own writes.</li>
 * <li>A write on another instance arrives as a notification a few milliseconds after its commit; until then this
 *     instance may serve the previous version (the same window as a Vault performance standby). Should the
 *     notification never come (its writer died right after committing), entries expire after {@code maxAge}.</li>
 * <li>A read that raced an invalidation of its path does not store what it read: every path maps to one of
 *     {@value #STRIPES} stamps, bumped by each invalidation and compared before and after the database read.</li>
 * <li>Nothing is cached while the listener is not listening (not yet started, or its connection lost and
 *     notifications possibly missed); the whole cache is dropped when it (re)starts, and on seal.</li>
 * </ul>
 */
public final class SecretCache {

    private static final int STRIPES = 1024;

    /** A cached row and when it was loaded. */
    private record Entry(SecretStore.StoredVersion version, long loadedAtNanos) {
    }

    private final int capacity;
    private final long maxAgeNanos;
    private final ConcurrentHashMap<String, Entry> latest = new ConcurrentHashMap<>();
    private final AtomicLongArray stamps = new AtomicLongArray(STRIPES);
    /** Bumped whenever the whole cache is dropped (listener (re)start, loss, seal). */
    private final AtomicLong epoch = new AtomicLong();
    private volatile boolean coherent;

    /**
     * @param capacity the most paths kept; 0 disables the cache
     * @param maxAge how long an entry is trusted without hearing of a change: the backstop for a notification that
     *     was never sent (its writer died between commit and announcement)
     */
    public SecretCache(int capacity, Duration maxAge) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative");
        }
        this.capacity = capacity;
        this.maxAgeNanos = maxAge.toNanos();
    }

    public boolean enabled() {
        return capacity > 0;
    }

    /**
     * The latest version of {@code path}: from the cache, or from {@code load} (a database read), which is then
     * cached if nothing invalidated the path meanwhile. {@code load} returning null (no such secret) is not cached.
     */
    SecretStore.StoredVersion latest(String path, Supplier<SecretStore.StoredVersion> load) {
        if (!coherent) {
            return load.get();
        }
        long now = System.nanoTime();
        Entry cached = latest.get(path);
        if (cached != null) {
            if (now - cached.loadedAtNanos() < maxAgeNanos) {
                return cached.version();
            }
            latest.remove(path, cached);
        }
        int stripe = stripe(path);
        long stamp = stamps.get(stripe);
        long epochBefore = epoch.get();
        SecretStore.StoredVersion loaded = load.get();
        if (loaded != null && latest.size() < capacity) {
            Entry entry = new Entry(loaded, now);
            latest.put(path, entry);
            // Re-check after publishing: an invalidation that ran between the load and the put must win.
            if (stamps.get(stripe) != stamp || epoch.get() != epochBefore || !coherent) {
                latest.remove(path, entry);
            }
        }
        return loaded;
    }

    /** Forgets {@code path}: after a local write commits, or when another instance says it changed. */
    public void invalidate(String path) {
        stamps.incrementAndGet(stripe(path));
        latest.remove(path);
    }

    /**
     * Drops {@code path}'s entry unless it holds {@code stored} (version, deletion and destruction as the database
     * has them now; {@code null}: no secret): it missed a change.
     */
    void dropIfStale(String path, SecretStore.StoredVersion stored) {
        Entry cached = latest.get(path);
        if (cached == null) {
            return;
        }
        SecretStore.StoredVersion held = cached.version();
        boolean current = stored != null && held.version() == stored.version()
                && (held.deletedAt() == null) == (stored.deletedAt() == null) && held.destroyed() == stored.destroyed();
        if (!current) {
            invalidate(path);
        }
    }

    /** Starts caching: the listener is now receiving every change. */
    void coherent() {
        dropAll();
        coherent = true;
    }

    /** Stops caching and forgets everything: changes may have been missed (listener lost or stopped). */
    void incoherent() {
        coherent = false;
        dropAll();
    }

    /** Forgets everything but keeps caching (on seal: nothing read under the old keys outlives them). */
    public void clear() {
        dropAll();
    }

    /** How many paths are cached (for tests and monitoring). */
    public int size() {
        return latest.size();
    }

    /** Whether {@code path}'s latest version is cached (for tests). */
    public boolean contains(String path) {
        return latest.containsKey(path);
    }

    private void dropAll() {
        epoch.incrementAndGet();
        latest.clear();
    }

    private static int stripe(String path) {
        return (path.hashCode() & 0x7fffffff) % STRIPES;
    }
}
