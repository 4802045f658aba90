package io.secrethub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.LoginResult;
import io.secrethub.core.SecretHub;
import io.secrethub.perf.db.PostgresDatabase;
import io.secrethub.server.http.CoreErrors;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Over HTTPS: renewing or revoking another token's lease is Vault's 403 "permission denied"; calls without a token
 * over their per-address rate limit are Vault's 429 "rate limit quota exceeded" (issue 13 items 3 and 10).
 */
@PostgresDatabase
class LeaseOwnersAndRateLimitTest {

    private static TestServer limited;
    private static SecretHub hub;
    private static RawHttp http;
    private static String root;

    @BeforeAll
    static void start(DataSource db) {
        // Three calls without a token per address, earned back only after minutes: the limit shows at once.
        limited = TestServer.withHub(db, b -> b.unauthenticatedRateLimit(0.01, 3));
        hub = limited.hub;
        root = limited.initializeAndUnseal();
        http = limited.http;
    }

    @AfterAll
    static void stop() {
        limited.close();
    }

    @Test
    void anotherTokensLeaseIsForbidden() {
        http.post("/v1/auth/approle/role/owned", root, Map.of("token_ttl", 600, "token_max_ttl", 3600));
        LoginResult login = hub.auth().appRole().login(hub.auth().appRole().roleId(root, "owned"),
                hub.auth().appRole().generateSecretId(root, "owned").secretId(), null);
        assertThat(http.send("PUT", "/v1/sys/policies/acl/lease-revoker", root, Map.of("policy",
                "path \"sys/leases/revoke\" { capabilities = [\"update\"] }")).status()).isEqualTo(204);
        RawHttp.Answer created = http.post("/v1/auth/token/create", root,
                Map.of("policies", List.of("lease-revoker"), "ttl", "1h"));
        @SuppressWarnings("unchecked")
        String other = (String) ((Map<String, Object>) created.json().get("auth")).get("client_token");

        RawHttp.Answer renew = http.send("PUT", "/v1/sys/leases/renew", other, Map.of("lease_id", login.leaseId()));
        assertThat(renew.status()).as(renew.toString()).isEqualTo(403);
        assertThat(renew.body()).contains(CoreErrors.PERMISSION_DENIED);
        RawHttp.Answer revoke = http.send("PUT", "/v1/sys/leases/revoke/" + login.leaseId(), other, null);
        assertThat(revoke.status()).as(revoke.toString()).isEqualTo(403);
        assertThat(http.get("/v1/auth/token/lookup-self", login.token()).status()).as("still valid").isEqualTo(200);

        RawHttp.Answer own = http.send("PUT", "/v1/sys/leases/renew", login.token(),
                Map.of("lease_id", login.leaseId()));
        assertThat(own.status()).as("the owner renews its own lease: " + own).isEqualTo(200);
    }

    @Test
    void callsWithoutATokenOverTheLimitAreRefusedWith429() {
        int refused = 0;
        for (int i = 0; i < 5; i++) {
            RawHttp.Answer answer = http.post("/v1/agents/verify", null, Map.of("certificate", "not a certificate"));
            if (answer.status() == 429) {
                assertThat(answer.body()).contains(CoreErrors.RATE_LIMITED);
                refused++;
            }
        }
        assertThat(refused).as("verifications past the burst of 3").isGreaterThanOrEqualTo(2);

        // failed logins count against the same address, and a refused login is not even tried
        RawHttp.Answer login = http.post("/v1/auth/approle/login", null,
                Map.of("role_id", "00000000-0000-4000-8000-000000000000", "secret_id", "wrong"));
        assertThat(login.status()).as(login.toString()).isEqualTo(429);
        assertThat(login.body()).contains(CoreErrors.RATE_LIMITED);
    }
}
