package io.secrethub.core.access;

/**
 * Everything a caller can ask SecretHub to do, with the name the audit log records and the
 * Vault-style path a policy is matched against.
 *
 * <p>Policy paths mirror Vault's KV v2 mount at {@code secret/} (data, metadata, delete, undelete,
 * destroy are separate API paths there), so Vault policies read naturally here. A policy engine maps
 * each operation to the capability it needs, e.g. {@link #SECRET_READ} → {@code read},
 * {@link #SECRET_WRITE} → {@code create} (new path) or {@code update} (existing path),
 * {@link #SECRET_LIST} → {@code list}, {@link #SECRET_DELETE}/{@link #SECRET_UNDELETE}/{@link #SECRET_DESTROY}
 * → {@code update} on their own paths, {@link #SYS_ROTATE} → {@code update}+{@code sudo}.
 * Add operations here as features arrive (login, agents, policies); don't rename existing ones,
 * the audit log refers to them.
 */
public enum Operation {

    SECRET_READ("secrets.read", "secret/data/"),
    SECRET_WRITE("secrets.write", "secret/data/"),
    SECRET_DELETE("secrets.delete", "secret/delete/"),
    SECRET_UNDELETE("secrets.undelete", "secret/undelete/"),
    SECRET_DESTROY("secrets.destroy", "secret/destroy/"),
    SECRET_LIST("secrets.list", "secret/metadata/"),
    SECRET_METADATA_READ("secrets.metadata.read", "secret/metadata/"),
    SECRET_METADATA_WRITE("secrets.metadata.write", "secret/metadata/"),
    SECRET_METADATA_DELETE("secrets.metadata.delete", "secret/metadata/"),
    SYS_ROTATE("sys.rotate", "sys/rotate"),
    SYS_KEY_STATUS("sys.key-status", "sys/key-status"),
    SYS_INITIALIZE("sys.initialize", "sys/init"),
    SYS_UNSEAL("sys.unseal", "sys/unseal"),
    SYS_SEAL("sys.seal", "sys/seal");

    private final String auditName;
    private final String policyPathPrefix;

    Operation(String auditName, String policyPathPrefix) {
        this.auditName = auditName;
        this.policyPathPrefix = policyPathPrefix;
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
        return path == null ? policyPathPrefix : policyPathPrefix + path;
    }
}
