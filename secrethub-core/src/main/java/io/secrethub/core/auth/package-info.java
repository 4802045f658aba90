/**
 * Authentication: AppRole logins ({@link io.secrethub.core.auth.AppRoleService}) and token
 * housekeeping ({@link io.secrethub.core.auth.TokensService}).
 *
 * <p>Policy paths: {@code auth/approle/role/<name>} (write: create+update),
 * {@code auth/approle/role/<name>/role-id} (read), {@code auth/approle/role/<name>/secret-id}
 * (update); {@code auth/token/lookup-self} (read), {@code auth/token/renew-self},
 * {@code auth/token/revoke-self} (update, all three in the built-in {@code default} policy),
 * {@code auth/token/revoke-accessor} (update). Login is unauthenticated but audited.
 *
 * <p>Caches and staleness: roles are cached by role_id for the hub's {@code authCacheTtl}; a role
 * written on another instance takes effect here within that time. Internal: the public API is the
 * interfaces in {@code io.secrethub.core}.
 */
package io.secrethub.core.auth;
