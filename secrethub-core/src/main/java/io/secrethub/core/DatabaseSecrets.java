package io.secrethub.core;

/**
 * {@code hub.database()}: dynamic PostgreSQL credentials, after Vault's database secrets engine.
 *
 * <pre>{@code
 * hub.database().writeConfig(root, "app", DatabaseConfig.builder()
 *         .connectionUrl("jdbc:postgresql://db:5432/app").username("vault_admin").password(adminPassword)
 *         .allowedRoles("readonly").build());
 * hub.database().writeRole(root, "readonly", DatabaseRole.builder("app")
 *         .creationStatements("CREATE ROLE \"{{name}}\" LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'",
 *                 "GRANT SELECT ON ALL TABLES IN SCHEMA public TO \"{{name}}\"")
 *         .defaultTtl(Duration.ofHours(1)).maxTtl(Duration.ofHours(24)).build());
 * DatabaseCredentials creds = hub.database().creds(agentToken, "readonly");   // a new PostgreSQL user + lease
 * }</pre>
 *
 * <p>Each {@link #creds} call creates a PostgreSQL user with {@code VALID UNTIL} at the lease's expiry;
 * revoking the lease (or its expiry) terminates the user's sessions, revokes its grants and drops it.
 * Policy paths: {@code database/config/<name>}, {@code database/roles/<name>} (write: create + update;
 * read), {@code database/creds/<role>} (read).
 */
public interface DatabaseSecrets {

    /**
     * Creates or replaces a connection config. The admin password is stored encrypted and never
     * returned. Unless {@link DatabaseConfig.Builder#verifyConnection(boolean) disabled}, it first
     * connects with these settings.
     *
     * @throws InvalidRequestException if the settings are refused or the connection check fails
     */
    void writeConfig(String token, String name, DatabaseConfig config);

    /** A connection config without its password. @throws NotFoundException if there is none */
    DatabaseConfigInfo readConfig(String token, String name);

    /**
     * Creates or replaces a role. Leases already issued keep working; their revocation uses the role's
     * statements as they are when it runs.
     *
     * @throws NotFoundException if the role's connection config does not exist
     */
    void writeRole(String token, String name, DatabaseRole role);

    /** A role's settings. @throws NotFoundException if there is none */
    DatabaseRole readRole(String token, String name);

    /**
     * Creates a new database user for {@code role} and returns its user name, password and lease.
     *
     * @throws NotFoundException if there is no such role
     * @throws InvalidRequestException if the role's config does not allow the role
     * @throws BackendException if the database could not be reached or refused a creation statement
     */
    DatabaseCredentials creds(String token, String role);
}
