package io.secrethub.server.api;

import io.secrethub.core.LoginResult;
import io.secrethub.core.TokenInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Vault's {@code auth} block of a response, and its token lookup data. */
final class Auths {

    private Auths() {
    }

    static Map<String, Object> auth(String clientToken, String accessor, List<String> policies, Duration ttl,
            Map<String, Object> metadata) {
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("client_token", clientToken);
        auth.put("accessor", accessor);
        auth.put("policies", policies);
        auth.put("token_policies", policies);
        auth.put("metadata", metadata);
        auth.put("lease_duration", ttl == null ? 0 : ttl.toSeconds());
        auth.put("renewable", ttl != null);
        auth.put("entity_id", "");
        auth.put("token_type", "service");
        auth.put("orphan", true);
        auth.put("mfa_requirement", null);
        auth.put("num_uses", 0);
        return auth;
    }

    static Map<String, Object> auth(LoginResult login, Map<String, Object> metadata) {
        return auth(login.token(), login.accessor(), login.policies(), login.ttl(), metadata);
    }

    /** The data of {@code auth/token/lookup-self}; {@code id} is the token the caller presented. */
    static Map<String, Object> lookup(TokenInfo info, String presentedToken, Instant now) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("accessor", info.accessor());
        data.put("creation_time", info.createdAt().getEpochSecond());
        data.put("creation_ttl", info.ttl() == null ? 0 : info.ttl().toSeconds());
        data.put("display_name", info.displayName());
        data.put("entity_id", "");
        data.put("expire_time", info.expiresAt() == null ? null : info.expiresAt().toString());
        data.put("explicit_max_ttl", 0);
        data.put("id", presentedToken);
        data.put("issue_time", info.createdAt().toString());
        data.put("meta", null);
        data.put("num_uses", 0);
        data.put("orphan", true);
        data.put("path", info.displayName().startsWith("approle") ? "auth/approle/login" : "auth/token/create");
        data.put("policies", info.policies());
        data.put("renewable", info.expiresAt() != null);
        data.put("ttl", info.expiresAt() == null ? 0
                : Math.max(0, Duration.between(now, info.expiresAt()).toSeconds()));
        data.put("type", "service");
        return data;
    }
}
