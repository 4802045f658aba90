package io.secrethub.core.access;

import io.secrethub.core.token.TokenEntry;
import java.util.List;

/**
 * An authenticated caller: the entry of the token it presented. It carries the accessor (for audit
 * and revocation) and the policies (for the authorizer), never the token.
 */
public record Caller(TokenEntry token) {

    public String accessor() {
        return token.accessor();
    }

    public List<String> policies() {
        return token.policies();
    }

    /** Whether the token holds the {@code root} policy, which allows everything. */
    public boolean isRoot() {
        return token.policies().contains(RootPolicyAuthorizer.ROOT_POLICY);
    }
}
