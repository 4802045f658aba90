package io.secrethub.server.api;

import io.secrethub.core.SecretHub;
import io.secrethub.core.TokenInfo;
import io.secrethub.server.http.ApiRequest;
import io.secrethub.server.http.Envelope;
import io.secrethub.server.http.Operation;
import io.secrethub.server.http.Reply;
import io.secrethub.server.http.Router;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** {@code auth/token/…}: a token's own housekeeping and revocation by accessor. */
final class TokenApi {

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
        router.exact("auth/token/revoke-accessor", Methods.on(Operation.UPDATE, (r, rest) -> {
            hub.auth().tokens().revoke(r.token(), r.requireString("accessor"));
            return Reply.noContent();
        }));
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
