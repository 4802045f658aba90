package io.secrethub.core;

/**
 * Vault-style AppRole authentication.
 *
 * <p>Policy paths: {@code auth/approle/role/<name>} (write: create and update),
 * {@code auth/approle/role/<name>/role-id} (read), {@code auth/approle/role/<name>/secret-id}
 * (update). {@link #login} presents no token: the role_id and secret_id are the proof; it is audited
 * like every other call.
 */
public interface AppRole {

    /**
     * Creates a role (with a new random role_id and HMAC key) or replaces the settings of an existing
     * one (its role_id and issued secret_ids stay valid).
     */
    void writeRole(String token, String roleName, AppRoleSettings settings);

    /**
     * The role's settings (Vault's {@code GET auth/approle/role/<name>}; policy path, read).
     *
     * @throws NotFoundException if there is no such role
     */
    AppRoleSettings readRole(String token, String roleName);

    /**
     * Deletes the role and every secret_id issued for it (Vault's {@code DELETE auth/approle/role/<name>};
     * policy path, delete). Tokens already issued through it stay valid until they expire or are revoked,
     * as in Vault.
     *
     * @throws NotFoundException if there is no such role
     */
    void deleteRole(String token, String roleName);

    /**
     * The role's role_id.
     *
     * @throws NotFoundException if there is no such role
     */
    String roleId(String token, String roleName);

    /**
     * Generates a secret_id for the role. The plaintext is returned here once; only its HMAC is stored.
     *
     * @throws NotFoundException if there is no such role
     */
    SecretIdResult generateSecretId(String token, String roleName);

    /**
     * Exchanges a role_id and secret_id for a token carrying {@code default} and the role's policies.
     *
     * @param clientAddress the caller's IP address literal (IPv4 or IPv6); required when the role is
     *     bound to CIDRs, otherwise recorded in the audit log only
     * @throws PermissionDeniedException with one message for every refusal (unknown role_id, wrong,
     *     expired or used-up secret_id, address outside the bound CIDRs), so it is no oracle
     */
    LoginResult login(String roleId, String secretId, String clientAddress);
}
