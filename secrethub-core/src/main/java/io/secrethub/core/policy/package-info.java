/**
 * Vault-style path policies: {@link io.secrethub.core.policy.Policy policies} grant
 * {@link io.secrethub.core.policy.Capability capabilities} on path patterns, and an
 * {@link io.secrethub.core.policy.Acl} compiled from a token's policies answers, in well under
 * a microsecond, whether a request may proceed.
 *
 * <p>Semantics follow Vault's "priority matching": an exact path rule wins over any pattern; among
 * patterns, the highest-priority match decides; the same pattern in several policies unions its
 * capabilities, and {@code deny} on the deciding rule refuses everything.
 *
 * <p>Everything here is storage-free; {@link io.secrethub.core.policy.AclCache} takes a loader
 * function so the caller decides where policies live.
 */
package io.secrethub.core.policy;
