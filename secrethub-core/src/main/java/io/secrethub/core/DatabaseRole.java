package io.secrethub.core;

import io.secrethub.core.database.SqlTemplates;
import io.secrethub.core.policy.Policy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A role of the database secrets engine (Vault's {@code database/roles/<name>}): which connection
 * config it uses, the statements that create, renew and revoke its users, and its lease TTLs.
 *
 * <p>Statements are templates: {@code {{name}}} is the generated user name, {@code {{password}}} the
 * password's SCRAM-SHA-256 verifier (so the plaintext never reaches the server, its logs or
 * {@code pg_stat_statements}; PostgreSQL stores a verifier given to {@code PASSWORD '…'} as is), and
 * {@code {{expiration}}} the lease's expiry as a PostgreSQL timestamp. Quote them as
 * {@code "{{name}}"} and {@code '{{password}}'}. Creation runs in one transaction; revocation runs
 * statement by statement, after SecretHub has checked that the user still exists (a user that is
 * already gone counts as revoked).
 *
 * <p>Grant through a group role ({@code CREATE ROLE "{{name}}" … IN ROLE app_readers}) rather than
 * {@code GRANT … ON <table> TO "{{name}}"} when many credentials are issued at once: PostgreSQL
 * rewrites the table's ACL row for every GRANT, and concurrent GRANTs on one table fail with "tuple
 * concurrently updated" (SQLSTATE XX000). Role membership involves no shared row.
 */
public final class DatabaseRole {

    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    public static final Duration DEFAULT_MAX_TTL = Duration.ofHours(24);

    /** Moves {@code VALID UNTIL} with the lease. */
    public static final List<String> DEFAULT_RENEW_STATEMENTS =
            List.of("ALTER ROLE \"{{name}}\" VALID UNTIL '{{expiration}}'");

    /**
     * Stops new logins, ends the user's sessions (a dropped role's open sessions would otherwise live
     * on), hands what it created to the admin user, revokes its grants and drops it. {@code DROP OWNED}
     * revokes exactly the privileges the user holds in this database (found through
     * {@code pg_shdepend}) instead of rewriting the ACL of every table in a schema, which is slower and
     * makes concurrent revocations collide on the same catalog rows.
     */
    public static final List<String> DEFAULT_REVOCATION_STATEMENTS = List.of(
            "ALTER ROLE \"{{name}}\" NOLOGIN",
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{{name}}' AND pid <> "
                    + "pg_backend_pid()",
            "REASSIGN OWNED BY \"{{name}}\" TO CURRENT_USER",
            "DROP OWNED BY \"{{name}}\"",
            "DROP ROLE IF EXISTS \"{{name}}\"");

    private static final Set<String> CREATION_PLACEHOLDERS =
            Set.of(SqlTemplates.NAME, SqlTemplates.PASSWORD, SqlTemplates.EXPIRATION);
    private static final Set<String> RENEW_PLACEHOLDERS = Set.of(SqlTemplates.NAME, SqlTemplates.EXPIRATION);
    private static final Set<String> REVOCATION_PLACEHOLDERS = Set.of(SqlTemplates.NAME);

    private final String dbName;
    private final List<String> creationStatements;
    private final List<String> renewStatements;
    private final List<String> revocationStatements;
    private final Duration defaultTtl;
    private final Duration maxTtl;

    private DatabaseRole(Builder b) {
        this.dbName = b.dbName;
        this.creationStatements = b.creation;
        this.renewStatements = b.renew;
        this.revocationStatements = b.revocation;
        this.defaultTtl = b.defaultTtl;
        this.maxTtl = b.maxTtl;
    }

    /** A role issuing credentials through the connection config {@code dbName}. */
    public static Builder builder(String dbName) {
        return new Builder(dbName);
    }

    public String dbName() {
        return dbName;
    }

    public List<String> creationStatements() {
        return creationStatements;
    }

    public List<String> renewStatements() {
        return renewStatements;
    }

    public List<String> revocationStatements() {
        return revocationStatements;
    }

    /** The TTL of new credentials. */
    public Duration defaultTtl() {
        return defaultTtl;
    }

    /** How far renewals may extend credentials from their creation. */
    public Duration maxTtl() {
        return maxTtl;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatabaseRole r && r.dbName.equals(dbName) && r.creationStatements.equals(creationStatements)
                && r.renewStatements.equals(renewStatements) && r.revocationStatements.equals(revocationStatements)
                && r.defaultTtl.equals(defaultTtl) && r.maxTtl.equals(maxTtl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dbName, creationStatements, renewStatements, revocationStatements, defaultTtl, maxTtl);
    }

    @Override
    public String toString() {
        return "DatabaseRole[db=" + dbName + ", ttl=" + defaultTtl + ", maxTtl=" + maxTtl + "]";
    }

    /** Builds a validated role. Not thread-safe. */
    public static final class Builder {

        private final String dbName;
        private List<String> creation = List.of();
        private List<String> renew = DEFAULT_RENEW_STATEMENTS;
        private List<String> revocation = DEFAULT_REVOCATION_STATEMENTS;
        private Duration defaultTtl = DEFAULT_TTL;
        private Duration maxTtl;

        private Builder(String dbName) {
            if (!Policy.isValidName(dbName)) {
                throw new InvalidRequestException("invalid database config name: expected 1-" + Policy.MAX_NAME_LENGTH
                        + " characters of a-z, 0-9, '-', '_' or '.', starting with a letter or digit");
            }
            this.dbName = dbName;
        }

        /** Required; at least one statement must use {@code {{name}}}. Run in one transaction. */
        public Builder creationStatements(String... statements) {
            List<String> checked = SqlTemplates.check(Arrays.asList(statements), CREATION_PLACEHOLDERS,
                    "creation statements");
            if (!SqlTemplates.uses(checked, SqlTemplates.NAME)) {
                throw new InvalidRequestException("creation statements must use {{name}} (the generated user name)");
            }
            this.creation = checked;
            return this;
        }

        /** Default {@link #DEFAULT_RENEW_STATEMENTS}; may be empty. {@code {{name}}}, {@code {{expiration}}}. */
        public Builder renewStatements(String... statements) {
            this.renew = SqlTemplates.check(Arrays.asList(statements), RENEW_PLACEHOLDERS, "renew statements");
            return this;
        }

        /** Default {@link #DEFAULT_REVOCATION_STATEMENTS}; at least one. {@code {{name}}} only. */
        public Builder revocationStatements(String... statements) {
            List<String> checked = SqlTemplates.check(Arrays.asList(statements), REVOCATION_PLACEHOLDERS,
                    "revocation statements");
            if (checked.isEmpty()) {
                throw new InvalidRequestException("revocation statements must not be empty");
            }
            this.revocation = checked;
            return this;
        }

        /** Default 1 hour; at least one second. */
        public Builder defaultTtl(Duration ttl) {
            this.defaultTtl = atLeastASecond(ttl, "defaultTtl");
            return this;
        }

        /** Default 24 hours (or the default TTL, if longer). */
        public Builder maxTtl(Duration ttl) {
            this.maxTtl = atLeastASecond(ttl, "maxTtl");
            return this;
        }

        /** @throws InvalidRequestException if creation statements are missing or defaultTtl exceeds maxTtl */
        public DatabaseRole build() {
            if (creation.isEmpty()) {
                throw new InvalidRequestException("creation statements are required");
            }
            if (maxTtl == null) {
                maxTtl = defaultTtl.compareTo(DEFAULT_MAX_TTL) > 0 ? defaultTtl : DEFAULT_MAX_TTL;
            }
            if (defaultTtl.compareTo(maxTtl) > 0) {
                throw new InvalidRequestException("defaultTtl must not exceed maxTtl");
            }
            return new DatabaseRole(this);
        }

        private static Duration atLeastASecond(Duration d, String name) {
            if (d == null || d.toSeconds() < 1) {
                throw new InvalidRequestException(name + " must be at least one second");
            }
            return Duration.ofSeconds(d.toSeconds());
        }
    }
}
