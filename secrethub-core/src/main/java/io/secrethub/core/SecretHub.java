package io.secrethub.core;

import java.util.Objects;

import io.secrethub.core.runtime.HubComponents;
import io.secrethub.core.runtime.HubInternals;

/**
 * A SecretHub instance over a PostgreSQL database: a Vault-style secrets manager as a Java API.
 *
 * <pre>{@code
 * SecretHub hub = SecretHub.builder().dataSource(ds).build();   // applies migrations; starts sealed
 * InitResult init = hub.sys().initialize(3, 2);                 // once per database
 * hub.sys().unseal(init.shares().get(0));
 * hub.sys().unseal(init.shares().get(2));
 * hub.secrets().write(init.rootToken(), "app/db/password", Map.of("password", "…"));
 * }</pre>
 *
 * <p>Several instances may share one database; each is unsealed on its own. Close the instance to
 * seal it and stop its background threads (the data source stays open: it is the caller's).
 */
public final class SecretHub implements AutoCloseable {

    static {
        // The core's tests reach the components through this internal route, not through members of the facade.
        HubInternals.install(hub -> hub.components);
    }

    private final HubComponents components;

    SecretHub(HubComponents components) {
        this.components = components;
    }

    public static SecretHubBuilder builder() {
        return new SecretHubBuilder();
    }

    /** Seal lifecycle and keys. */
    public Sys sys() {
        return components.sys();
    }

    /** Versioned key/value secrets. */
    public Secrets secrets() {
        return components.secrets();
    }

    /**
     * Tells {@code listener} of every secret change from now on, on this instance and on every other instance on the
     * same database (through PostgreSQL notifications, within milliseconds of the commit). See
     * {@link SecretChangeListener} for what it is told and on which thread.
     */
    public void addSecretChangeListener(SecretChangeListener listener) {
        components.secretChanges().addListener(Objects.requireNonNull(listener, "listener"));
    }

    /** Stops telling {@code listener}; a call already under way finishes. */
    public void removeSecretChangeListener(SecretChangeListener listener) {
        components.secretChanges().removeListener(listener);
    }

    /** Named ACL policies ({@code sys/policies/acl/<name>}). */
    public Policies policies() {
        return components.policies();
    }

    /** AppRole logins and token housekeeping ({@code auth/...}). */
    public Auth auth() {
        return components.auth();
    }

    /** Agent registration with X.509 certificates ({@code agents/<agentId>}). */
    public Agents agents() {
        return components.agents();
    }

    /** Leases of tokens and dynamic credentials: lookup, renewal, revocation ({@code sys/leases/...}). */
    public Leases leases() {
        return components.leases();
    }

    /** Dynamic PostgreSQL credentials ({@code database/...}). */
    public DatabaseSecrets database() {
        return components.databaseSecrets();
    }

    /** What this instance's expiration manager has revoked, failed and given up on since it started. */
    public LeaseStats leaseStats() {
        return components.leaseStats();
    }

    /** The tamper-evident audit log. */
    public Audit audit() {
        return components.audit();
    }

    /** Group-commit figures of this instance's audit writer (batches, records per batch, time per batch). */
    public AuditStats auditStats() {
        return components.auditStats();
    }

    /** This instance's name in audit records. */
    public String node() {
        return components.node();
    }

    /** Seals this instance (wiping its keys) and stops its threads. The data source is left open. */
    @Override
    public void close() {
        components.close();
    }
}
