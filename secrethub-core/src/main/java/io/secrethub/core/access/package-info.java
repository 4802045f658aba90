/**
 * Who is calling and what they may do. {@link io.secrethub.core.access.AccessControl} turns a token
 * into a {@link io.secrethub.core.access.Caller} and asks an {@link io.secrethub.core.access.Authorizer}
 * whether the caller may perform an {@link io.secrethub.core.access.Operation} on a path. The
 * authorizer is the seam where the policy engine plugs in; until then
 * {@link io.secrethub.core.access.RootPolicyAuthorizer} allows {@code root} and denies the rest.
 * Internal: not part of the public API.
 */
package io.secrethub.core.access;
