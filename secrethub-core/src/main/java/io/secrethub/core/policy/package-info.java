/**
 * The policy language, part of the public API: Vault-style {@link io.secrethub.core.policy.Policy policies}
 * grant {@link io.secrethub.core.policy.Capability capabilities} on path patterns
 * ({@link io.secrethub.core.policy.PathRule}), built in Java or parsed from Vault's JSON form.
 *
 * <p>Semantics follow Vault's "priority matching": an exact path rule wins over any pattern; among
 * patterns, the highest-priority match decides; the same pattern in several policies unions its
 * capabilities, and {@code deny} on the deciding rule refuses everything. The evaluation itself
 * (compiled ACLs and their cache) is internal, in {@code io.secrethub.core.authz}.
 */
package io.secrethub.core.policy;
