package io.secrethub.core.access;

import static io.secrethub.core.policy.Capability.CREATE;
import static io.secrethub.core.policy.Capability.DELETE;
import static io.secrethub.core.policy.Capability.LIST;
import static io.secrethub.core.policy.Capability.READ;
import static io.secrethub.core.policy.Capability.SUDO;
import static io.secrethub.core.policy.Capability.UPDATE;

import io.secrethub.core.policy.Capability;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Everything a caller can ask SecretHub to do, with the name the audit log records and the
 * Vault-style path a policy is matched against.
 *
 * <p>Policy paths mirror Vault's KV v2 mount at {@code secret/} (data, metadata, delete, undelete,
 * destroy are separate API paths there), so Vault policies read naturally here. A policy engine maps
 * each operation to the capability it needs, e.g. {@link #SECRET_READ} → {@code read},
 * {@link #SECRET_WRITE} → {@code create} (new path) or {@code update} (existing path),
 * {@link #SECRET_LIST} → {@code list}, {@link #SECRET_DELETE}/{@link #SECRET_UNDELETE}/{@link #SECRET_DESTROY}
 * → {@code update} on their own paths, {@link #SYS_ROTATE} and {@link #SYS_SEAL} → {@code update}+{@code sudo},
 * the audit log's {@code sys/audit/verify}, {@code sys/audit/records} (read+sudo) and {@code sys/audit-hash}
 * (update+sudo).
 * Writes that may create or replace ({@link #SECRET_WRITE}, {@link #POLICY_WRITE},
 * {@link #APPROLE_ROLE_WRITE}) need <em>both</em> {@code create} and {@code update}: authorization
 * runs before the operation knows whether the target exists, and requiring both fails closed where
 * Vault would pick one.
 *
 * <p>Policy paths of the other APIs: policies {@code sys/policies/acl/<name>} (list:
 * {@code sys/policies/acl}); AppRole {@code auth/approle/role/<name>} (write),
 * {@code auth/approle/role/<name>/role-id} (read), {@code auth/approle/role/<name>/secret-id}
 * (update); tokens {@code auth/token/lookup-self} (read), {@code auth/token/renew-self},
 * {@code auth/token/revoke-self}, {@code auth/token/revoke-accessor} (update; the first three are in
 * the built-in {@code default} policy); agents {@code agents/<agentId>} (register = create, revoke =
 * delete); leases {@code sys/leases/lookup}, {@code sys/leases/renew}, {@code sys/leases/revoke}
 * (update; renewing or revoking a lease another token obtained also needs update+sudo on
 * {@code sys/leases/renew/<lease id>} or {@code sys/leases/revoke/<lease id>}),
 * {@code sys/leases/revoke-prefix/<prefix>} (update+sudo), {@code sys/leases/irrevocable}
 * (read+sudo); database engine {@code database/config/<name>}, {@code database/roles/<name>} (write:
 * create+update, read), {@code database/creds/<role>} (read). Add operations here as features arrive;
 * don't rename existing ones, the audit log refers to them.
 */
public enum Operation {

    SECRET_READ("secrets.read", "secret/data/", READ),
    /** A change pushed to a subscriber: the latest version's number and state, as a read would tell it. */
    SECRET_CHANGE_NOTICE("secrets.change-notice", "secret/data/", READ),
    /**
     * Upsert: requires both create and update (the core does not tell a new path from an existing one before
     * authorizing).
     */
    SECRET_WRITE("secrets.write", "secret/data/", CREATE, UPDATE),
    SECRET_DELETE("secrets.delete", "secret/delete/", UPDATE),
    SECRET_UNDELETE("secrets.undelete", "secret/undelete/", UPDATE),
    SECRET_DESTROY("secrets.destroy", "secret/destroy/", UPDATE),
    SECRET_LIST("secrets.list", "secret/metadata/", LIST),
    SECRET_METADATA_READ("secrets.metadata.read", "secret/metadata/", READ),
    SECRET_METADATA_WRITE("secrets.metadata.write", "secret/metadata/", CREATE, UPDATE),
    SECRET_METADATA_DELETE("secrets.metadata.delete", "secret/metadata/", DELETE),
    SYS_ROTATE("sys.rotate", "sys/rotate", UPDATE, SUDO),
    SYS_KEY_STATUS("sys.key-status", "sys/key-status", READ),
    /** Vault's {@code sys/ha-status}: the live instances on the database. */
    SYS_HA_STATUS("sys.ha-status", "sys/ha-status", READ),
    SYS_INITIALIZE("sys.initialize", "sys/init"),
    SYS_UNSEAL("sys.unseal", "sys/unseal"),
    /** Vault: {@code sys/seal} needs sudo, so whoever can read secrets cannot take the instance down. */
    SYS_SEAL("sys.seal", "sys/seal", UPDATE, SUDO),
    /** The audit log is evidence: reading it, verifying it and hashing accessors for it need sudo. */
    AUDIT_VERIFY("sys.audit.verify", "sys/audit/verify", READ, SUDO),
    AUDIT_RECORDS("sys.audit.records", "sys/audit/records", READ, SUDO),
    /** Vault: {@code sys/audit-hash/<path>} (update+sudo). */
    AUDIT_HASH("sys.audit.hash", "sys/audit-hash", UPDATE, SUDO),

    POLICY_WRITE("sys.policies.write", "sys/policies/acl/", CREATE, UPDATE),
    POLICY_READ("sys.policies.read", "sys/policies/acl/", READ),
    POLICY_DELETE("sys.policies.delete", "sys/policies/acl/", DELETE),
    /** Vault: {@code LIST sys/policies/acl}. */
    POLICY_LIST("sys.policies.list", "sys/policies/acl", LIST),

    APPROLE_ROLE_WRITE("auth.approle.role.write", "auth/approle/role/", "", CREATE, UPDATE),
    APPROLE_ROLE_READ("auth.approle.role.read", "auth/approle/role/", "", READ),
    APPROLE_ROLE_DELETE("auth.approle.role.delete", "auth/approle/role/", "", DELETE),
    APPROLE_ROLE_ID_READ("auth.approle.role-id.read", "auth/approle/role/", "/role-id", READ),
    APPROLE_SECRET_ID_GENERATE("auth.approle.secret-id.generate", "auth/approle/role/", "/secret-id", UPDATE),
    /** Unauthenticated: the role_id and secret_id are the proof. */
    APPROLE_LOGIN("auth.approle.login", "auth/approle/login"),

    TOKEN_LOOKUP_SELF("auth.token.lookup-self", "auth/token/lookup-self", READ),
    TOKEN_RENEW_SELF("auth.token.renew-self", "auth/token/renew-self", UPDATE),
    TOKEN_REVOKE_SELF("auth.token.revoke-self", "auth/token/revoke-self", UPDATE),
    TOKEN_REVOKE_ACCESSOR("auth.token.revoke-accessor", "auth/token/revoke-accessor", UPDATE),
    /** Vault's {@code auth/token/create}: a child token with a subset of the caller's policies. */
    TOKEN_CREATE("auth.token.create", "auth/token/create", UPDATE),
    /** Vault's {@code auth/token/lookup}: another token, named by its value. */
    TOKEN_LOOKUP("auth.token.lookup", "auth/token/lookup", UPDATE),
    /** Vault's {@code auth/token/revoke}: another token, named by its value, and its descendants. */
    TOKEN_REVOKE("auth.token.revoke", "auth/token/revoke", UPDATE),

    AGENT_REGISTER("agents.register", "agents/", CREATE),
    AGENT_REVOKE("agents.revoke", "agents/", DELETE),
    /** Unauthenticated: a valid, unrevoked certificate of the agent and a CSR signed by its key are the proof. */
    AGENT_RENEW("agents.renew", "agents/", "/renew"),
    /** Unauthenticated: what an mTLS endpoint calls for a presented certificate. */
    AGENT_VERIFY("agents.verify", "agents/verify"),

    /** Vault's paths: lookup and renew are in the built-in {@code default} policy (the lease id is the proof). */
    LEASE_LOOKUP("sys.leases.lookup", "sys/leases/lookup", UPDATE),
    LEASE_RENEW("sys.leases.renew", "sys/leases/renew", UPDATE),
    LEASE_REVOKE("sys.leases.revoke", "sys/leases/revoke", UPDATE),
    /**
     * Not a call of its own: what renewing a lease another token obtained takes besides {@link #LEASE_RENEW}, sudo on
     * the lease's path {@code sys/leases/renew/<lease id>} (Vault's path form of the call), so a policy can grant it
     * for some leases ({@code sys/leases/renew/database/creds/app/*}) or all ({@code sys/leases/renew/*}).
     */
    LEASE_RENEW_OTHERS("sys.leases.renew", "sys/leases/renew/", UPDATE, SUDO),
    /** Likewise for revoking a lease another token obtained: sudo on {@code sys/leases/revoke/<lease id>}. */
    LEASE_REVOKE_OTHERS("sys.leases.revoke", "sys/leases/revoke/", UPDATE, SUDO),
    /** Policy path {@code sys/leases/revoke-prefix/<prefix>}: a mass revocation needs sudo, as in Vault. */
    LEASE_REVOKE_PREFIX("sys.leases.revoke-prefix", "sys/leases/revoke-prefix/", UPDATE, SUDO),
    LEASE_IRREVOCABLE("sys.leases.irrevocable", "sys/leases/irrevocable", READ, SUDO),

    /** The database secrets engine, mounted at {@code database/} as in Vault. */
    DATABASE_CONFIG_WRITE("database.config.write", "database/config/", CREATE, UPDATE),
    DATABASE_CONFIG_READ("database.config.read", "database/config/", READ),
    DATABASE_ROLE_WRITE("database.roles.write", "database/roles/", CREATE, UPDATE),
    DATABASE_ROLE_READ("database.roles.read", "database/roles/", READ),
    /** {@code database/creds/<role>} (read): creates a database user and its lease. */
    DATABASE_CREDS("database.creds", "database/creds/", READ);

    private final String auditName;
    private final String policyPathPrefix;
    private final String policyPathSuffix;
    private final Set<Capability> capabilities;

    Operation(String auditName, String policyPathPrefix, Capability... capabilities) {
        this(auditName, policyPathPrefix, "", capabilities);
    }

    Operation(String auditName, String policyPathPrefix, String policyPathSuffix, Capability... capabilities) {
        this.auditName = auditName;
        this.policyPathPrefix = policyPathPrefix;
        this.policyPathSuffix = policyPathSuffix;
        this.capabilities = capabilities.length == 0 ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(Arrays.asList(capabilities)));
    }

    /**
     * Every capability a policy must grant on {@link #policyPath} for this operation; empty for
     * operations that present no token (initialize, unseal, login, agent renewal, verification).
     */
    public Set<Capability> requiredCapabilities() {
        return capabilities;
    }

    /** The name recorded in the audit log, e.g. {@code secrets.read}. */
    public String auditName() {
        return auditName;
    }

    /**
     * The path a policy is matched against: e.g. {@code secret/data/app/db} for reading {@code app/db},
     * {@code sys/rotate} for rotation.
     */
    public String policyPath(String path) {
        if (!policyPathPrefix.endsWith("/")) {
            return policyPathPrefix;
        }
        return path == null ? policyPathPrefix : policyPathPrefix + path + policyPathSuffix;
    }
}
