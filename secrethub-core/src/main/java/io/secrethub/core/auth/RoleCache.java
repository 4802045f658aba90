package io.secrethub.core.auth;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Roles by role_id, so a login costs no role query. Entries live at most {@code ttlNanos}, which
 * bounds how long a role changed on <em>another</em> instance keeps its old settings here; changes on
 * this instance clear the cache at once. Unknown role_ids are not cached (an attacker could fill the
 * cache with them); with 122 random bits a role_id cannot be guessed, so the extra query a miss
 * costs reveals nothing useful.
 */
final class RoleCache {

    private static final int MAX_ENTRIES = 10_000;

    private final ConcurrentHashMap<UUID, RoleEntry> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final AtomicLong generation = new AtomicLong();

    RoleCache(long ttlNanos) {
        this.ttlNanos = ttlNanos;
    }

    /** The role, from memory when fresh, else from {@code loader} ({@code null} if there is none). */
    RoleEntry get(UUID roleId, Function<UUID, RoleEntry> loader) {
        RoleEntry entry = entries.get(roleId);
        if (entry != null && System.nanoTime() - entry.loadedAtNanos() < ttlNanos) {
            return entry;
        }
        long generationBefore = generation.get();
        RoleEntry loaded = loader.apply(roleId);
        if (loaded != null && ttlNanos > 0) {
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
            entries.put(roleId, loaded);
            // Generation fence: a role written while this one was loading may have been read before the write,
            // and clear() may already have run; so after putting, check, and take it out again if so.
            if (generation.get() != generationBefore) {
                entries.remove(roleId, loaded);
            }
        } else if (loaded == null) {
            entries.remove(roleId);
        }
        return loaded;
    }

    /** Forgets every role (a role was written here); loads under way are not cached either. */
    void clear() {
        generation.incrementAndGet();
        entries.clear();
    }

    /** Forgets every role and wipes their keys (on seal). */
    void wipe() {
        entries.values().forEach(e -> e.hmacKey().destroy());
        entries.clear();
    }
}
