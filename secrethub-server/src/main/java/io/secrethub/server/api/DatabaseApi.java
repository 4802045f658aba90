package io.secrethub.server.api;

import io.secrethub.core.DatabaseConfig;
import io.secrethub.core.DatabaseConfigInfo;
import io.secrethub.core.DatabaseCredentials;
import io.secrethub.core.DatabaseRole;
import io.secrethub.core.SecretHub;
import io.secrethub.server.http.ApiException;
import io.secrethub.server.http.ApiRequest;
import io.secrethub.server.http.Envelope;
import io.secrethub.server.http.Operation;
import io.secrethub.server.http.Reply;
import io.secrethub.server.http.Router;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dynamic PostgreSQL credentials: {@code database/config/:name}, {@code database/roles/:name},
 * {@code database/creds/:role}.
 */
final class DatabaseApi {

    static final String PLUGIN = "postgresql-database-plugin";

    private final SecretHub hub;

    DatabaseApi(SecretHub hub) {
        this.hub = hub;
    }

    void register(Router router) {
        router.prefix("database/config/",
                Methods.on(Operation.UPDATE, this::writeConfig).and(Operation.READ, this::readConfig));
        router.prefix("database/roles/",
                Methods.on(Operation.UPDATE, this::writeRole).and(Operation.READ, this::readRole));
        router.prefix("database/creds/", Methods.on(Operation.READ, this::creds));
    }

    private Reply writeConfig(ApiRequest request, String name) {
        String plugin = request.string("plugin_name").orElse(PLUGIN);
        if (!plugin.equals(PLUGIN)) {
            throw ApiException.badRequest("SecretHub supports plugin_name " + PLUGIN + " only");
        }
        DatabaseConfig.Builder config = DatabaseConfig.builder()
                .connectionUrl(jdbcUrl(request.requireString("connection_url")))
                .username(request.requireString("username"))
                .password(request.requireString("password"))
                .allowedRoles(request.strings("allowed_roles").toArray(String[]::new));
        request.integer("max_open_connections").ifPresent(config::maxOpenConnections);
        request.bool("verify_connection").ifPresent(config::verifyConnection);
        hub.database().writeConfig(request.token(), name, config.build());
        return Reply.noContent();
    }

    /**
     * Vault's form is {@code postgresql://{{username}}:{{password}}@host:5432/db}; SecretHub takes the
     * credentials from their own fields, so the template part is dropped and a JDBC URL made.
     */
    static String jdbcUrl(String url) {
        String rest;
        if (url.startsWith("jdbc:postgresql://")) {
            return url;
        } else if (url.startsWith("postgresql://")) {
            rest = url.substring("postgresql://".length());
        } else if (url.startsWith("postgres://")) {
            rest = url.substring("postgres://".length());
        } else {
            throw ApiException.badRequest("connection_url must be a postgresql:// URL");
        }
        int at = rest.indexOf('@');
        if (at >= 0) {
            String credentials = rest.substring(0, at);
            if (!credentials.equals("{{username}}:{{password}}") && !credentials.equals("{{username}}")) {
                throw ApiException.badRequest("connection_url must not carry credentials; use "
                        + "{{username}}:{{password}}");
            }
            rest = rest.substring(at + 1);
        }
        return "jdbc:postgresql://" + rest;
    }

    private Reply readConfig(ApiRequest request, String name) {
        DatabaseConfigInfo info = hub.database().readConfig(request.token(), name);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("connection_url", info.connectionUrl());
        details.put("username", info.username());
        details.put("max_open_connections", info.maxOpenConnections());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("allowed_roles", info.allowedRoles());
        data.put("connection_details", details);
        data.put("plugin_name", PLUGIN);
        data.put("plugin_version", "");
        data.put("root_credentials_rotate_statements", List.of());
        data.put("verify_connection", true);
        return Envelope.of(data).mountType("database").reply();
    }

    private Reply writeRole(ApiRequest request, String name) {
        DatabaseRole.Builder role = DatabaseRole.builder(request.requireString("db_name"))
                .creationStatements(request.strings("creation_statements").toArray(String[]::new));
        if (request.body().containsKey("revocation_statements")
                && !request.strings("revocation_statements").isEmpty()) {
            role.revocationStatements(request.strings("revocation_statements").toArray(String[]::new));
        }
        if (request.body().containsKey("renew_statements")) {
            role.renewStatements(request.strings("renew_statements").toArray(String[]::new));
        }
        request.duration("default_ttl").filter(d -> !d.isZero()).ifPresent(role::defaultTtl);
        request.duration("max_ttl").filter(d -> !d.isZero()).ifPresent(role::maxTtl);
        hub.database().writeRole(request.token(), name, role.build());
        return Reply.noContent();
    }

    private Reply readRole(ApiRequest request, String name) {
        DatabaseRole role = hub.database().readRole(request.token(), name);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("creation_statements", role.creationStatements());
        data.put("credential_type", "password");
        data.put("db_name", role.dbName());
        data.put("default_ttl", role.defaultTtl().toSeconds());
        data.put("max_ttl", role.maxTtl().toSeconds());
        data.put("renew_statements", role.renewStatements());
        data.put("revocation_statements", role.revocationStatements());
        data.put("rollback_statements", List.of());
        return Envelope.of(data).mountType("database").reply();
    }

    private Reply creds(ApiRequest request, String role) {
        DatabaseCredentials creds = hub.database().creds(request.token(), role);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("username", creds.username());
        data.put("password", creds.password());
        return Envelope.of(data).lease(creds.leaseId(), creds.leaseDuration().toSeconds(), creds.renewable())
                .mountType("database").reply();
    }
}
