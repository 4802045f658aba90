package io.secrethub.core;

import io.secrethub.core.database.ConnectionUrls;
import io.secrethub.core.policy.Policy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A connection config of the database secrets engine (Vault's {@code database/config/<name>}): how
 * SecretHub reaches a PostgreSQL server as a user allowed to create roles.
 *
 * <pre>{@code
 * DatabaseConfig.builder().connectionUrl("jdbc:postgresql://db:5432/app").username("vault_admin")
 *         .password(adminPassword).allowedRoles("readonly", "writer").build();
 * }</pre>
 *
 * The password is stored encrypted through the keyring and never returned; {@link #toString()} does
 * not print it.
 */
public final class DatabaseConfig {

    public static final int DEFAULT_MAX_OPEN_CONNECTIONS = 4;
    public static final int MAX_OPEN_CONNECTIONS = 100;
    static final int MAX_URL_LENGTH = 1024;
    static final int MAX_USERNAME_LENGTH = 63;
    static final int MAX_PASSWORD_LENGTH = 1024;
    static final int MAX_ALLOWED_ROLES = 64;

    private final String connectionUrl;
    private final String username;
    private final String password;
    private final List<String> allowedRoles;
    private final int maxOpenConnections;
    private final boolean verifyConnection;

    private DatabaseConfig(Builder b) {
        this.connectionUrl = b.connectionUrl;
        this.username = b.username;
        this.password = b.password;
        this.allowedRoles = List.copyOf(b.allowedRoles);
        this.maxOpenConnections = b.maxOpenConnections;
        this.verifyConnection = b.verifyConnection;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code jdbc:postgresql://host:port/database…}, without credentials. */
    public String connectionUrl() {
        return connectionUrl;
    }

    public String username() {
        return username;
    }

    /** The admin password (write side only: reads never return it). */
    public String password() {
        return password;
    }

    /** Roles that may issue credentials through this config; {@code *} for any. Empty: none. */
    public List<String> allowedRoles() {
        return allowedRoles;
    }

    /** Connections SecretHub keeps open to this server at most, per instance. */
    public int maxOpenConnections() {
        return maxOpenConnections;
    }

    /** Whether {@link DatabaseSecrets#writeConfig} connects first to check the settings. */
    public boolean verifyConnection() {
        return verifyConnection;
    }

    @Override
    public String toString() {
        return "DatabaseConfig[" + connectionUrl + ", username=" + username + ", password=(redacted), allowedRoles="
                + allowedRoles + "]";
    }

    /** Builds a validated config. Not thread-safe. */
    public static final class Builder {

        private String connectionUrl;
        private String username;
        private String password;
        private final List<String> allowedRoles = new ArrayList<>();
        private int maxOpenConnections = DEFAULT_MAX_OPEN_CONNECTIONS;
        private boolean verifyConnection = true;

        private Builder() {
        }

        /**
         * A PostgreSQL JDBC URL. Credentials do not belong in it (they would be stored in the clear):
         * user info and {@code user}/{@code password} parameters are refused. Only connection parameters that
         * load no class and touch no file are accepted ({@code sslmode}, {@code connectTimeout},
         * {@code loginTimeout}, {@code socketTimeout}, {@code tcpKeepAlive}, {@code ApplicationName},
         * {@code targetServerType}, {@code hostRecheckSeconds}, {@code loadBalanceHosts}, {@code channelBinding},
         * {@code gssEncMode}, {@code currentSchema}); without {@code sslmode} SecretHub connects with
         * {@code sslmode=verify-full}.
         */
        public Builder connectionUrl(String url) {
            this.connectionUrl = checkUrl(url);
            return this;
        }

        public Builder username(String username) {
            if (username == null || username.isEmpty() || username.length() > MAX_USERNAME_LENGTH
                    || !username.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
                throw new InvalidRequestException("username must be 1-" + MAX_USERNAME_LENGTH
                        + " printable characters without spaces");
            }
            this.username = username;
            return this;
        }

        public Builder password(String password) {
            if (password == null || password.isEmpty() || password.length() > MAX_PASSWORD_LENGTH) {
                throw new InvalidRequestException("password must be 1-" + MAX_PASSWORD_LENGTH + " characters");
            }
            this.password = password;
            return this;
        }

        /** Role names (policy-name syntax), or {@code *} for any role. */
        public Builder allowedRoles(String... roles) {
            for (String role : Arrays.asList(roles)) {
                if (!"*".equals(role) && !Policy.isValidName(role)) {
                    throw new InvalidRequestException("invalid role name in allowedRoles: expected '*' or 1-"
                            + Policy.MAX_NAME_LENGTH + " characters of a-z, 0-9, '-', '_' or '.'");
                }
                if (!allowedRoles.contains(role)) {
                    allowedRoles.add(role);
                }
            }
            if (allowedRoles.size() > MAX_ALLOWED_ROLES) {
                throw new InvalidRequestException("at most " + MAX_ALLOWED_ROLES + " allowedRoles");
            }
            return this;
        }

        /** 1-100, default {@value DatabaseConfig#DEFAULT_MAX_OPEN_CONNECTIONS}. */
        public Builder maxOpenConnections(int connections) {
            if (connections < 1 || connections > MAX_OPEN_CONNECTIONS) {
                throw new InvalidRequestException("maxOpenConnections must be between 1 and " + MAX_OPEN_CONNECTIONS
                        + ", was " + connections);
            }
            this.maxOpenConnections = connections;
            return this;
        }

        /** Default {@code true}: connect once when the config is written, and refuse it if that fails. */
        public Builder verifyConnection(boolean verify) {
            this.verifyConnection = verify;
            return this;
        }

        /** @throws InvalidRequestException if the URL, username or password is missing */
        public DatabaseConfig build() {
            if (connectionUrl == null) {
                throw new InvalidRequestException("connectionUrl is required");
            }
            if (username == null) {
                throw new InvalidRequestException("username is required");
            }
            if (password == null) {
                throw new InvalidRequestException("password is required");
            }
            return new DatabaseConfig(this);
        }

        private static String checkUrl(String url) {
            String prefix = "jdbc:postgresql://";
            if (url == null || !url.startsWith(prefix)) {
                throw new InvalidRequestException("connectionUrl must start with " + prefix);
            }
            if (url.length() > MAX_URL_LENGTH) {
                throw new InvalidRequestException("connectionUrl is longer than " + MAX_URL_LENGTH + " characters");
            }
            if (!url.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
                throw new InvalidRequestException("connectionUrl must not contain spaces or control characters");
            }
            String rest = url.substring(prefix.length());
            int end = indexOfAny(rest, "/?");
            String authority = end < 0 ? rest : rest.substring(0, end);
            if (authority.isEmpty()) {
                throw new InvalidRequestException("connectionUrl has no host");
            }
            if (authority.contains("@")) {
                throw new InvalidRequestException(
                        "connectionUrl must not carry credentials: set username() and password()");
            }
            ConnectionUrls.checkParameters(url);
            return url;
        }

        private static int indexOfAny(String text, String chars) {
            for (int i = 0; i < text.length(); i++) {
                if (chars.indexOf(text.charAt(i)) >= 0) {
                    return i;
                }
            }
            return -1;
        }
    }
}
