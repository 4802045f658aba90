package io.secrethub.server.api;

import io.secrethub.core.LoginResult;
import io.secrethub.core.SecretHub;
import io.secrethub.core.TokenInfo;
import io.secrethub.server.http.ApiException;
import io.secrethub.server.http.ApiRequest;
import io.secrethub.server.http.Envelope;
import io.secrethub.server.http.Operation;
import io.secrethub.server.http.Reply;
import io.secrethub.server.http.Router;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code auth/token/…}: create, lookup, renewal and revocation of tokens. */
final class TokenApi {

    /** Vault token features SecretHub does not have; refused rather than silently ignored. */
    private static final List<String> UNSUPPORTED_CREATE_FIELDS = List.of("meta", "num_uses", "period",
            "explicit_max_ttl", "no_default_policy", "entity_alias", "id", "role_name", "no_parent");

    private final SecretHub hub;

    TokenApi(SecretHub hub) {
        this.hub = hub;
    }

    void register(Router router) {
        router.exact("auth/token/lookup-self", Methods.on(Operation.READ, (r, rest) -> lookupSelf(r))
                .and(Operation.UPDATE, (r, rest) -> lookupSelf(r)));
        router.exact("auth/token/renew-self", Methods.on(Operation.UPDATE, (r, rest) -> renewSelf(r)));
        router.exact("auth/token/revoke-self", Methods.on(Operation.UPDATE, (r, rest) -> {
            hub.auth().tokens().revokeSelf(r.token());
            return Reply.noContent();
        }));
        router.exact("auth/token/create", Methods.on(Operation.UPDATE, (r, rest) -> create(r)));
        router.exact("auth/token/lookup", Methods.on(Operation.UPDATE, (r, rest) -> lookup(r))
                .and(Operation.READ, (r, rest) -> lookup(r)));
        router.exact("auth/token/revoke", Methods.on(Operation.UPDATE, (r, rest) -> {
            hub.auth().tokens().revokeToken(r.token(), r.requireString("token"));
            return Reply.noContent();
        }));
        router.exact("auth/token/revoke-accessor", Methods.on(Operation.UPDATE, (r, rest) -> {
            hub.auth().tokens().revoke(r.token(), r.requireString("accessor"));
            return Reply.noContent();
        }));
    }

    private Reply create(ApiRequest request) {
        for (String field : UNSUPPORTED_CREATE_FIELDS) {
            Object value = request.body().get(field);
            if (value != null && !"".equals(value) && !Boolean.FALSE.equals(value)
                    && !(value instanceof Number n && n.intValue() == 0)
                            && !(value instanceof Map<?, ?> m && m.isEmpty())) {
                throw ApiException.badRequest(field + " is not supported by SecretHub");
            }
        }
        String type = request.string("type").orElse("service");
        if (!type.equals("service") && !type.equals("default")) {
            throw ApiException.badRequest("SecretHub issues service tokens only");
        }
        LoginResult created = hub.auth().tokens().create(request.token(), request.strings("policies"),
                request.duration("ttl").filter(d -> !d.isZero()).orElse(null),
                        request.string("display_name").orElse(null));
        return Envelope.of(null).auth(Auths.auth(created, null)).mountType("token").reply();
    }

    private Reply lookup(ApiRequest request) {
        String other = request.requireString("token");
        TokenInfo info = hub.auth().tokens().lookup(request.token(), other);
        return Envelope.of(Auths.lookup(info, other, Instant.now())).mountType("token").reply();
    }

    private Reply lookupSelf(ApiRequest request) {
        TokenInfo info = hub.auth().tokens().lookup(request.token());
        return Envelope.of(Auths.lookup(info, request.token(), Instant.now())).mountType("token").reply();
    }

    private Reply renewSelf(ApiRequest request) {
        Duration increment = request.duration("increment").filter(d -> !d.isZero()).orElse(null);
        TokenInfo info = hub.auth().tokens().renew(request.token(), increment);
        Duration left = info.expiresAt() == null ? null : Duration.between(Instant.now(), info.expiresAt());
        Map<String, Object> auth = Auths.auth(request.token(), info.accessor(), info.policies(),
                left == null ? null : Duration.ofSeconds(Math.max(0, left.toSeconds())), null);
        return Envelope.of(null).auth(auth).mountType("token").reply();
    }
}
