package io.secrethub.server.api;

import io.secrethub.core.Lease;
import io.secrethub.core.SecretHub;
import io.secrethub.server.http.ApiRequest;
import io.secrethub.server.http.Envelope;
import io.secrethub.server.http.Operation;
import io.secrethub.server.http.Reply;
import io.secrethub.server.http.Router;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code sys/leases/lookup}, {@code renew}, {@code revoke} and {@code revoke-prefix/:prefix}. */
final class LeaseApi {

    private final SecretHub hub;

    LeaseApi(SecretHub hub) {
        this.hub = hub;
    }

    void register(Router router) {
        router.exact("sys/leases/lookup", Methods.on(Operation.UPDATE, (r, rest) -> lookup(r)));
        router.exact("sys/leases/renew",
                Methods.on(Operation.UPDATE, (r, rest) -> renew(r, r.requireString("lease_id"))));
        router.prefix("sys/leases/renew/", Methods.on(Operation.UPDATE, this::renew));
        router.exact("sys/leases/revoke",
                Methods.on(Operation.UPDATE, (r, rest) -> revoke(r, r.requireString("lease_id"))));
        router.prefix("sys/leases/revoke/", Methods.on(Operation.UPDATE, this::revoke));
        router.prefix("sys/leases/revoke-prefix/", Methods.on(Operation.UPDATE, (r, prefix) -> {
            hub.leases().revokePrefix(r.token(), prefix);
            return Reply.noContent();
        }));
    }

    private Reply lookup(ApiRequest request) {
        Lease lease = hub.leases().lookup(request.token(), request.requireString("lease_id"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", lease.id());
        data.put("issue_time", lease.issuedAt().toString());
        data.put("expire_time", lease.expiresAt().toString());
        data.put("last_renewal_time", null);
        data.put("renewable", lease.renewable());
        data.put("ttl", Math.max(0, Duration.between(Instant.now(), lease.expiresAt()).toSeconds()));
        return Envelope.of(data).reply();
    }

    private Reply renew(ApiRequest request, String leaseId) {
        Duration increment = request.duration("increment").filter(d -> !d.isZero()).orElse(null);
        Lease lease = hub.leases().renew(request.token(), leaseId, increment);
        long left = Math.max(0, Duration.between(Instant.now(), lease.expiresAt()).toSeconds());
        return Envelope.of(null).lease(lease.id(), left, lease.renewable()).reply();
    }

    private Reply revoke(ApiRequest request, String leaseId) {
        hub.leases().revoke(request.token(), leaseId);
        return Reply.noContent();
    }
}
