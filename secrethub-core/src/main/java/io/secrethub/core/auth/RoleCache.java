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
 *
 * <p>The cache owns the decrypted HMAC key of every role it loads and zeroes it once the role leaves: on
 * {@link #clear()}, when a fresher copy replaces it, when the cache is emptied for being full, when a load is not
 * kept (generation fence, caching off), and on {@link #wipe()}. A login in progress keeps its role's key alive
 * until it is done with it ({@link #acquire} and {@link Slot#release}: a count of users per
 * entry), so a role write on this instance never
 * fails a concurrent login with a zeroed key; the key is zeroed when the last user lets go.
 */
final class RoleCache {

    private static final int MAX_ENTRIES = 10_000;

    /** One loaded role and the logins using its key right now. */
    static final class Slot {

        private final RoleEntry role;
        private int users;
        private boolean retired;

        Slot(RoleEntry role) {
            this.role = role;
        }

        /** Takes the key for one login; false once retired (its key is or will be zeroed). */
        synchronized boolean acquire() {
            if (retired) {
                return false;
            }
            users++;
            return true;
        }

        synchronized void release() {
            users--;
            if (retired && users == 0) {
                role.hmacKey().destroy();
            }
        }

        /** Out of the cache: the key is zeroed now, or when its last user releases it. */
        synchronized void retire() {
            retired = true;
            if (users == 0) {
                role.hmacKey().destroy();
            }
        }

        RoleEntry role() {
            return role;
        }
    }

    private final ConcurrentHashMap<UUID, Slot> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final AtomicLong generation = new AtomicLong();

    RoleCache(long ttlNanos) {
        this.ttlNanos = ttlNanos;
    }

    /** The role's slot, acquired (the caller releases it), or {@code null} if there is no such role. */
    Slot acquire(UUID roleId, Function<UUID, RoleEntry> loader) {
        Slot cached = entries.get(roleId);
        if (cached != null) {
            if (System.nanoTime() - cached.role().loadedAtNanos() < ttlNanos && cached.acquire()) {
                return cached;
            }
            if (entries.remove(roleId, cached)) {
                cached.retire(); // stale: reloaded below
            }
        }
        long generationBefore = generation.get();
        RoleEntry loaded = loader.apply(roleId);
        if (loaded == null) {
            Slot gone = entries.remove(roleId);
            if (gone != null) {
                gone.retire();
            }
            return null;
        }
        Slot slot = new Slot(loaded);
        slot.acquire();
        if (ttlNanos <= 0) {
            slot.retire(); // not cached: zeroed when this login is done with it
            return slot;
        }
        if (entries.size() >= MAX_ENTRIES) {
            retireAll();
        }
        Slot replaced = entries.put(roleId, slot);
        if (replaced != null) {
            replaced.retire();
        }
        // Generation fence: a role written while this one was loading may have been read before the write,
        // and clear() may already have run; so after putting, check, and take it out again if so.
        if (generation.get() != generationBefore && entries.remove(roleId, slot)) {
            slot.retire();
        }
        return slot;
    }

    /** Forgets every role (a role was written here) and zeroes their keys; loads under way are not cached either. */
    void clear() {
        generation.incrementAndGet();
        retireAll();
    }

    /** Forgets every role and zeroes their keys at once, in use or not (on seal: every key goes). */
    void wipe() {
        generation.incrementAndGet();
        for (UUID id : entries.keySet()) {
            Slot slot = entries.remove(id);
            if (slot != null) {
                slot.retire();
                slot.role().hmacKey().destroy();
            }
        }
    }

    private void retireAll() {
        for (UUID id : entries.keySet()) {
            Slot slot = entries.remove(id);
            if (slot != null) {
                slot.retire();
            }
        }
    }
}
