package io.secrethub.core.access;

/**
 * The authorizer before policies exist: the {@code root} policy allows everything, any other token
 * is denied. Replaced by the policy engine, which keeps {@code root}'s meaning.
 */
public final class RootPolicyAuthorizer implements Authorizer {

    public static final String ROOT_POLICY = "root";

    @Override
    public boolean allows(Caller caller, Operation operation, String path) {
        return caller.isRoot();
    }
}
