package io.secrethub.core.auth;

import io.secrethub.core.crypto.KeyMaterial;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * A role as login needs it, with its secret_id HMAC key already decrypted, so a login does no key
 * unwrapping or derivation.
 *
 * @param tokenPolicies {@code default} plus the role's policies, sorted (the ACL cache's key form)
 */
record RoleEntry(String name, KeyMaterial hmacKey, List<String> tokenPolicies, Duration tokenTtl,
        Duration tokenMaxTtl, List<Cidr> boundCidrs, long loadedAtNanos) {

    /** Whether a login from {@code address} ({@code null} if unknown or malformed) may proceed. */
    boolean admits(InetAddress address) {
        if (boundCidrs.isEmpty()) {
            return true;
        }
        if (address == null) {
            return false;
        }
        for (Cidr cidr : boundCidrs) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "RoleEntry[" + name + "]";
    }
}
