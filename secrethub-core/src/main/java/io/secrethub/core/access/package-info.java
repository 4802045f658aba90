/**
 * Who is calling and what they may do. {@link io.secrethub.core.access.AccessControl} turns a token
 * into a {@link io.secrethub.core.access.Caller} and asks an {@link io.secrethub.core.access.Authorizer}
 * whether the caller may perform an {@link io.secrethub.core.access.Operation} on a path. The
 * authorizer is the seam where the policy engine plugs in: the hub installs
 * {@link io.secrethub.core.authz.PolicyAuthorizer}, which checks every capability
 * {@link io.secrethub.core.access.Operation#requiredCapabilities()} names on the operation's
 * Vault-style {@link io.secrethub.core.access.Operation#policyPath policy path} (the table of paths is
 * on {@link io.secrethub.core.access.Operation}). {@link io.secrethub.core.access.RootPolicyAuthorizer}
 * (root only) remains for tests.
 * Internal: not part of the public API.
 */
package io.secrethub.core.access;
