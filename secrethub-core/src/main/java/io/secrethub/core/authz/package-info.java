/**
 * Stored policies, their evaluation and the authorizer that enforces them.
 *
 * <p>{@link io.secrethub.core.authz.Acl} is the compiled, immutable form of a token's policies and answers,
 * in well under a microsecond and without allocating, whether a capability is allowed on a path;
 * {@link io.secrethub.core.authz.AclCache} keeps compiled ACLs by policy set and takes a loader function, so
 * the caller decides where policies live. Both are storage-free.
 *
 * <p>{@link io.secrethub.core.authz.PolicyAuthorizer} maps each
 * {@link io.secrethub.core.access.Operation} to the capabilities it requires on its Vault-style
 * policy path: secrets {@code secret/data/<path>} (read; write = create+update),
 * {@code secret/metadata/<path>} (list, read, write, delete), {@code secret/delete|undelete|destroy/<path>}
 * (update); {@code sys/rotate} (update+sudo), {@code sys/key-status} (read); policies
 * {@code sys/policies/acl/<name>}; AppRole {@code auth/approle/role/<name>[/role-id|/secret-id]};
 * tokens {@code auth/token/...}; agents {@code agents/<agentId>} (register = create, revoke = delete).
 *
 * <p>Compiled ACLs are cached by policy set. A write or delete on this instance invalidates the cache
 * at once; changes by another instance sharing the database are picked up within the hub's
 * {@code authCacheTtl} (the cache is dropped once per interval), like the token cache's revocation
 * bound. Internal: the public API is {@link io.secrethub.core.Policies}.
 */
package io.secrethub.core.authz;
