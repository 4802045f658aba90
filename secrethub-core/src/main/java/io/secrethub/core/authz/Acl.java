package io.secrethub.core.authz;

import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.PathRule;
import io.secrethub.core.policy.Policy;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The compiled, immutable form of a token's policies: answers whether a capability is allowed on
 * a path, following Vault's "priority matching".
 *
 * <ol>
 *   <li>A rule whose pattern is exactly the path decides.</li>
 *   <li>Otherwise the highest-priority matching pattern decides (see {@link PathPattern#BY_PRIORITY}).</li>
 *   <li>The same pattern in several policies is one rule with the union of their capabilities;
 *       {@code deny} in that union refuses everything, {@code sudo} included.</li>
 *   <li>No matching rule: nothing is allowed.</li>
 * </ol>
 *
 * <p>A check is a hash lookup and, failing that, a walk down a trie over the patterns' literal
 * prefixes: no regular expressions, no splitting, no allocation. Thread-safe.
 */
public final class Acl {

    private static final int ALL_BUT_DENY = allButDeny();
    /** Capability sets by mask, built once so {@link #capabilities} allocates nothing. */
    private static final Set<Capability>[] SETS = capabilitySets();

    private static final Acl ROOT = new Acl(true, Map.of(), PatternIndex.build(Map.of()));

    private final boolean root;
    private final Map<String, Integer> exact;
    private final PatternIndex patterns;

    private Acl(boolean root, Map<String, Integer> exact, PatternIndex patterns) {
        this.root = root;
        this.exact = exact;
        this.patterns = patterns;
    }

    /**
     * Compiles policies into an ACL. Policies are merged whatever their order.
     *
     * @throws IllegalArgumentException if the {@value Policy#ROOT} policy is combined with others,
     *         which Vault also refuses: root must not be diluted or mistaken for an ordinary grant
     */
    public static Acl compile(Collection<Policy> policies) {
        Objects.requireNonNull(policies, "policies");
        boolean root = false;
        for (Policy policy : policies) {
            root |= policy.isRoot();
        }
        if (root) {
            if (policies.size() != 1) {
                throw new IllegalArgumentException("the root policy cannot be combined with other policies");
            }
            return ROOT;
        }
        Map<String, Integer> exact = new HashMap<>();
        Map<PathPattern, Integer> wildcards = new HashMap<>();
        for (Policy policy : policies) {
            for (PathRule rule : policy.rules()) {
                PathPattern pattern = PathPattern.parse(rule.pattern());
                if (pattern.isExact()) {
                    exact.merge(pattern.text(), CapabilityMasks.of(rule), Acl::union);
                } else {
                    wildcards.merge(pattern, CapabilityMasks.of(rule), Acl::union);
                }
            }
        }
        return new Acl(false, Map.copyOf(exact), PatternIndex.build(wildcards));
    }

    /** Compiles policies into an ACL. */
    public static Acl compile(Policy... policies) {
        return compile(java.util.List.of(policies));
    }

    /** The ACL of a root token: everything allowed. */
    public static Acl root() {
        return ROOT;
    }

    /** Whether this ACL allows everything. */
    public boolean isRoot() {
        return root;
    }

    /**
     * Whether {@code capability} is allowed on {@code path}.
     *
     * <p>{@code path} must be the canonical request path the storage layer uses (no leading '/',
     * no "." or ".." segments), since that exact string is what the patterns are matched against.
     * For {@link Capability#LIST}, as in Vault, a trailing '/' is also tried without it, so a
     * rule on {@code secret/metadata/app} or {@code secret/metadata/app*} lets you list
     * {@code secret/metadata/app/}.
     *
     * @throws IllegalArgumentException for {@link Capability#DENY}, which is not an operation
     */
    public boolean allowed(String path, Capability capability) {
        if (capability == Capability.DENY) {
            throw new IllegalArgumentException("deny is not an operation that can be allowed");
        }
        if (root) {
            return true;
        }
        int mask = capability == Capability.LIST ? listMask(path) : mask(path);
        return (mask & CapabilityMasks.DENY) == 0 && (mask & CapabilityMasks.bit(capability)) != 0;
    }

    /**
     * The capabilities granted on {@code path} by the deciding rule (Vault's
     * {@code sys/capabilities}): {@code [DENY]} when it denies, empty when no rule matches, every
     * capability but {@code DENY} for root.
     */
    public Set<Capability> capabilities(String path) {
        if (root) {
            return SETS[ALL_BUT_DENY];
        }
        return SETS[mask(path)];
    }

    private int mask(String path) {
        Integer exactMask = exact.get(path);
        if (exactMask != null) {
            return exactMask;
        }
        int mask = patterns.lookup(path);
        return mask == PatternIndex.NO_MATCH ? 0 : mask;
    }

    /** Vault's list lookup order: exact path, exact without the trailing '/', patterns without it, patterns. */
    private int listMask(String path) {
        Integer exactMask = exact.get(path);
        if (exactMask != null) {
            return exactMask;
        }
        if (path.endsWith("/")) {
            String trimmed = path.substring(0, path.length() - 1);
            exactMask = exact.get(trimmed);
            if (exactMask != null) {
                return exactMask;
            }
            int mask = patterns.lookup(trimmed);
            if (mask != PatternIndex.NO_MATCH) {
                return mask;
            }
        }
        int mask = patterns.lookup(path);
        return mask == PatternIndex.NO_MATCH ? 0 : mask;
    }

    /** Union of two rules on one pattern: deny absorbs everything, as in Vault's NewACL. */
    private static int union(int a, int b) {
        int deny = CapabilityMasks.DENY;
        return ((a | b) & deny) != 0 ? deny : a | b;
    }

    private static int allButDeny() {
        int mask = 0;
        for (Capability capability : Capability.values()) {
            if (capability != Capability.DENY) {
                mask |= CapabilityMasks.bit(capability);
            }
        }
        return mask;
    }

    @SuppressWarnings("unchecked")
    private static Set<Capability>[] capabilitySets() {
        int count = 1 << Capability.values().length;
        Set<Capability>[] sets = (Set<Capability>[]) new Set<?>[count];
        for (int mask = 0; mask < count; mask++) {
            EnumSet<Capability> set = EnumSet.noneOf(Capability.class);
            for (Capability capability : Capability.values()) {
                if ((mask & CapabilityMasks.bit(capability)) != 0) {
                    set.add(capability);
                }
            }
            sets[mask] = Collections.unmodifiableSet(set);
        }
        return sets;
    }

    @Override
    public String toString() {
        return root ? "Acl[root]" : "Acl[" + exact.size() + " exact paths]";
    }
}
