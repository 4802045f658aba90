package io.secrethub.core.authz;

import io.secrethub.core.access.Authorizer;
import io.secrethub.core.access.Caller;
import io.secrethub.core.access.Operation;
import io.secrethub.core.policy.Capability;
import java.time.Duration;

/**
 * The policy engine behind {@link io.secrethub.core.access.AccessControl}: compiles a caller's
 * policies once (through {@link AclCache}) and checks every capability the operation requires on its
 * {@link Operation#policyPath policy path}. No I/O on a cache hit.
 *
 * <p>Changes made through this instance invalidate the cache at once. Changes made by another
 * instance sharing the database are announced inside their transaction and heard through the change feed
 * within milliseconds; as a backstop, the whole cache is also dropped once per {@code maxStaleness}.
 */
public final class PolicyAuthorizer implements Authorizer {

    private final AclCache cache;
    private final long maxStalenessNanos;
    private volatile long lastRefresh = System.nanoTime();

    public PolicyAuthorizer(AclCache cache, Duration maxStaleness) {
        this.cache = cache;
        this.maxStalenessNanos = maxStaleness.toNanos();
    }

    @Override
    public boolean allows(Caller caller, Operation operation, String path) {
        if (caller.isRoot() && caller.policies().size() == 1) {
            return true;
        }
        if (operation.requiredCapabilities().isEmpty()) {
            return false; // not an operation a token is checked for: never grant it by accident
        }
        expireIfStale();
        Acl acl;
        try {
            acl = cache.acl(caller.policies());
        } catch (IllegalArgumentException e) {
            return false; // root mixed with other policies: refuse rather than guess
        }
        String policyPath = operation.policyPath(path);
        for (Capability capability : operation.requiredCapabilities()) {
            if (!acl.allowed(policyPath, capability)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Drops compiled ACLs after a policy change on this instance or another (heard inside the change's
     * transaction), or when such a change may have been missed.
     */
    public void invalidate(String policyName) {
        cache.invalidate(policyName);
    }

    private void expireIfStale() {
        long now = System.nanoTime();
        if (now - lastRefresh >= maxStalenessNanos) {
            lastRefresh = now;
            cache.invalidateAll();
        }
    }
}
