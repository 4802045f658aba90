package io.secrethub.core.authz;

import io.secrethub.core.policy.Policy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Compiled ACLs by policy-name set, so a request pays for a hash lookup, not a compilation.
 *
 * <p>Keys are the sorted, distinct policy names, so {@code [b, a]} and {@code [a, b, a]} share an
 * entry. Any policy change must call {@link #invalidate}; it bumps a generation number that
 * every entry is stamped with, so the next request recompiles. An ACL whose compilation started
 * before the change is stamped with the old generation and is never served afterwards, which a
 * plain remove could not guarantee against a racing compilation.
 *
 * <p>Names the loader does not know grant nothing, as in Vault. {@value Policy#ROOT} never reaches
 * the loader, and {@value Policy#DEFAULT} falls back to {@link Policy#defaultPolicy()} when the
 * loader does not have a stored version.
 *
 * <p>The cache only sees changes made through this process; instances sharing a database must
 * also invalidate when another instance changes a policy. Thread-safe.
 */
public final class AclCache {

    /** Bound on distinct policy sets kept; there are usually a handful, one per role. */
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    private final Function<String, Optional<Policy>> loader;
    private final int maxEntries;
    private final ConcurrentHashMap<List<String>, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    /**
     * @param loader finds a stored policy by name; called on cache misses only
     */
    public AclCache(Function<String, Optional<Policy>> loader) {
        this(loader, DEFAULT_MAX_ENTRIES);
    }

    /**
     * @param loader     finds a stored policy by name; called on cache misses only
     * @param maxEntries entries kept before the cache is emptied and refilled
     */
    public AclCache(Function<String, Optional<Policy>> loader, int maxEntries) {
        this.loader = Objects.requireNonNull(loader, "loader");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    /**
     * The ACL for a token's policy names.
     *
     * @throws IllegalArgumentException if {@value Policy#ROOT} is combined with other names
     */
    public Acl acl(Collection<String> policyNames) {
        List<String> key = normalize(policyNames);
        long current = generation.get();
        Entry entry = entries.get(key);
        if (entry != null && entry.generation == current) {
            return entry.acl;
        }
        Acl acl = compile(key);
        if (entries.size() >= maxEntries) {
            // Simple and rare: a bounded map without LRU bookkeeping on the hot path.
            entries.clear();
        }
        entries.put(List.copyOf(key), new Entry(acl, current));
        return acl;
    }

    /** Drops compiled ACLs after {@code policyName} was written or deleted. */
    public void invalidate(String policyName) {
        // Every entry goes: sets holding the policy are most of them, and changes are rare.
        invalidateAll();
    }

    /** Drops every compiled ACL. */
    public void invalidateAll() {
        generation.incrementAndGet();
        entries.clear();
    }

    /** Number of cached policy sets. */
    public int size() {
        return entries.size();
    }

    private Acl compile(List<String> names) {
        if (names.contains(Policy.ROOT)) {
            if (names.size() != 1) {
                throw new IllegalArgumentException("the root policy cannot be combined with other policies: " + names);
            }
            return Acl.root();
        }
        List<Policy> policies = new ArrayList<>(names.size());
        for (String name : names) {
            Optional<Policy> policy = loader.apply(name);
            if (policy.isEmpty() && Policy.DEFAULT.equals(name)) {
                policy = Optional.of(Policy.defaultPolicy());
            }
            policy.ifPresent(policies::add);
        }
        return Acl.compile(policies);
    }

    /**
     * Sorted, distinct names. A list that already is (the usual case: tokens store their policies
     * sorted) is used as it is, so a cache hit allocates nothing; it is copied before it is stored.
     */
    private static List<String> normalize(Collection<String> names) {
        Objects.requireNonNull(names, "policyNames");
        if (names instanceof List && isStrictlySorted((List<String>) names)) {
            return (List<String>) names;
        }
        return List.copyOf(new TreeSet<>(names));
    }

    private static boolean isStrictlySorted(List<String> names) {
        for (int i = 1; i < names.size(); i++) {
            if (names.get(i - 1).compareTo(names.get(i)) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static final class Entry {
        final Acl acl;
        final long generation;

        Entry(Acl acl, long generation) {
            this.acl = acl;
            this.generation = generation;
        }
    }
}
