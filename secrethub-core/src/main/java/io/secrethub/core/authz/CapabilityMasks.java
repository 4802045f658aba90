package io.secrethub.core.authz;

import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.PathRule;

/**
 * Capabilities as bits of an {@code int}, the form {@link Acl} evaluates with: a check is then a mask test, and
 * rules on one pattern merge with an OR. An evaluation detail, so it lives here rather than in the policy language.
 */
final class CapabilityMasks {

    /** The mask of a denying rule: just {@code DENY}, as in Vault. */
    static final int DENY = bit(Capability.DENY);

    private CapabilityMasks() {
    }

    /** {@code capability}'s bit. */
    static int bit(Capability capability) {
        return 1 << capability.ordinal();
    }

    /** A rule's capabilities as a mask; a denying rule is just {@link #DENY}. */
    static int of(PathRule rule) {
        if (rule.denies()) {
            return DENY;
        }
        int mask = 0;
        for (Capability capability : rule.capabilities()) {
            mask |= bit(capability);
        }
        return mask;
    }
}
