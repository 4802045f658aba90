package io.secrethub.core.policy;

import io.secrethub.core.InvalidRequestException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One rule of a policy: the capabilities it grants on a path pattern.
 *
 * @param pattern      the path pattern as written, e.g. {@code secret/data/app/*}
 * @param capabilities the capabilities, never empty; unmodifiable
 */
public record PathRule(String pattern, Set<Capability> capabilities) {

    /** Validates the pattern and copies the capabilities. */
    public PathRule {
        PathPattern.parse(pattern);
        Objects.requireNonNull(capabilities, "capabilities");
        if (capabilities.isEmpty()) {
            throw new InvalidRequestException("path \"" + pattern
                    + "\": capabilities must not be empty (use [\"deny\"] to forbid access)");
        }
        capabilities = Collections.unmodifiableSet(EnumSet.copyOf(capabilities));
    }

    /** Whether this rule denies (deny overrides whatever else it lists). */
    public boolean denies() {
        return capabilities.contains(Capability.DENY);
    }

    /** The capabilities as a bit mask; a denying rule is just {@code DENY}, as in Vault. */
    int mask() {
        if (denies()) {
            return Capability.DENY.bit();
        }
        int mask = 0;
        for (Capability capability : capabilities) {
            mask |= capability.bit();
        }
        return mask;
    }
}
