package io.secrethub.server.api;

import io.secrethub.core.AppRoleSettings;
import io.secrethub.core.LoginResult;
import io.secrethub.core.PermissionDeniedException;
import io.secrethub.core.SecretHub;
import io.secrethub.core.SecretIdResult;
import io.secrethub.server.http.ApiException;
import io.secrethub.server.http.ApiRequest;
import io.secrethub.server.http.Envelope;
import io.secrethub.server.http.Operation;
import io.secrethub.server.http.Reply;
import io.secrethub.server.http.Router;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code auth/approle/…}: roles, role_id, secret_id and login, with Vault's field names. */
final class AppRoleApi {

    /** Vault's answer to every refused login; one text for every reason, so it is no oracle. */
    static final String INVALID_LOGIN = "invalid role or secret ID";

    private static final List<String> UNSUPPORTED_ROLE_FIELDS = List.of("token_bound_cidrs", "token_num_uses",
            "token_explicit_max_ttl", "token_period", "period", "bound_cidr_list", "secret_id_bound_cidrs_list");

    private final SecretHub hub;

    AppRoleApi(SecretHub hub) {
        this.hub = hub;
    }

    void register(Router router) {
        router.exact("auth/approle/login", Methods.on(Operation.UPDATE, (r, rest) -> login(r)));
        router.prefix("auth/approle/role/", (request, rest) -> {
            if (rest.endsWith("/role-id")) {
                return Methods.on(Operation.READ, (r, name) -> roleId(r, name))
                        .handle(request, rest.substring(0, rest.length() - "/role-id".length()));
            }
            if (rest.endsWith("/secret-id")) {
                return Methods.on(Operation.UPDATE, (r, name) -> secretId(r, name))
                        .handle(request, rest.substring(0, rest.length() - "/secret-id".length()));
            }
            if (rest.contains("/")) {
                throw new ApiException(404, "no handler for route \"auth/approle/role/"
                        + rest.replaceAll("[^\\x20-\\x7e]", "?")
                        + "\". route entry not found.");
            }
            return Methods.on(Operation.UPDATE, this::writeRole).and(Operation.READ, this::readRole)
                    .and(Operation.DELETE, this::deleteRole).handle(request, rest);
        });
    }

    private Reply writeRole(ApiRequest request, String name) {
        for (String field : UNSUPPORTED_ROLE_FIELDS) {
            Object value = request.body().get(field);
            if (value != null && !"".equals(value) && !(value instanceof Number n && n.intValue() == 0)
                    && !(value instanceof List<?> l && l.isEmpty())) {
                throw ApiException.badRequest(field + " is not supported by SecretHub");
            }
        }
        if (!request.bool("bind_secret_id").orElse(true)) {
            throw ApiException.badRequest("bind_secret_id=false is not supported by SecretHub");
        }
        AppRoleSettings.Builder settings = AppRoleSettings.builder();
        List<String> policies = request.body().containsKey("token_policies") ? request.strings("token_policies")
                : request.strings("policies");
        settings.policies(policies.stream().filter(p -> !p.equals("default")).toArray(String[]::new));
        request.duration("token_ttl").filter(d -> !d.isZero()).ifPresent(settings::tokenTtl);
        request.duration("token_max_ttl").filter(d -> !d.isZero()).ifPresent(settings::tokenMaxTtl);
        request.duration("secret_id_ttl").filter(d -> !d.isZero()).ifPresent(settings::secretIdTtl);
        request.integer("secret_id_num_uses").ifPresent(settings::secretIdNumUses);
        settings.boundCidrs(request.strings("secret_id_bound_cidrs").toArray(String[]::new));
        hub.auth().appRole().writeRole(request.token(), name, settings.build());
        return Reply.noContent();
    }

    private Reply readRole(ApiRequest request, String name) {
        AppRoleSettings settings = hub.auth().appRole().readRole(request.token(), name);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("bind_secret_id", true);
        data.put("local_secret_ids", false);
        data.put("policies", settings.policies());
        data.put("secret_id_bound_cidrs", settings.boundCidrs().stream().map(Object::toString).toList());
        data.put("secret_id_num_uses", settings.secretIdNumUses());
        data.put("secret_id_ttl", settings.secretIdTtl() == null ? 0 : settings.secretIdTtl().toSeconds());
        data.put("token_bound_cidrs", List.of());
        data.put("token_explicit_max_ttl", 0);
        data.put("token_max_ttl", settings.tokenMaxTtl().toSeconds());
        data.put("token_no_default_policy", false);
        data.put("token_num_uses", 0);
        data.put("token_period", 0);
        data.put("token_policies", settings.policies());
        data.put("token_ttl", settings.tokenTtl().toSeconds());
        data.put("token_type", "default");
        return Envelope.of(data).mountType("approle").reply();
    }

    private Reply deleteRole(ApiRequest request, String name) {
        hub.auth().appRole().deleteRole(request.token(), name);
        return Reply.noContent();
    }

    private Reply roleId(ApiRequest request, String name) {
        return Envelope.of(Map.of("role_id", hub.auth().appRole().roleId(request.token(), name)))
                .mountType("approle").reply();
    }

    private Reply secretId(ApiRequest request, String name) {
        Object metadata = request.body().get("metadata");
        if (metadata != null && !"".equals(metadata)) {
            throw ApiException.badRequest("secret_id metadata is not supported by SecretHub");
        }
        SecretIdResult result = hub.auth().appRole().generateSecretId(request.token(), name);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("secret_id", result.secretId());
        data.put("secret_id_accessor", result.accessor());
        data.put("secret_id_ttl", result.expiresAt() == null ? 0
                : Math.max(0, Duration.between(Instant.now(), result.expiresAt()).toSeconds()));
        data.put("secret_id_num_uses", 0);
        return Envelope.of(data).mountType("approle").reply();
    }

    private Reply login(ApiRequest request) {
        String roleId = request.string("role_id").orElse("");
        String secretId = request.string("secret_id").orElse("");
        if (roleId.isEmpty()) {
            throw ApiException.badRequest("missing role_id");
        }
        LoginResult login;
        try {
            login = hub.auth().appRole().login(roleId, secretId, request.clientAddress());
        } catch (PermissionDeniedException e) {
            throw ApiException.badRequest(INVALID_LOGIN);
        }
        return Envelope.of(null).auth(Auths.auth(login, null)).mountType("approle")
                .lease("", 0, false).reply();
    }
}
