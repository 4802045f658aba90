package io.secrethub.core.access;

/**
 * Decides whether a caller may perform an operation. The policy engine implements this; it must be
 * fast (it runs on every request) and may not do I/O on the hot path.
 */
@FunctionalInterface
public interface Authorizer {

    /**
     * @param caller the authenticated caller
     * @param operation what it wants to do
     * @param path the validated SecretHub path the operation concerns ({@code null} for system
     *     operations); {@link Operation#policyPath(String)} gives the path policies are written against
     * @return whether to allow it
     */
    boolean allows(Caller caller, Operation operation, String path);
}
