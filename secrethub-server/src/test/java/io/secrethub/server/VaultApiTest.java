package io.secrethub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.LoginResult;
import io.secrethub.perf.db.PostgresDatabase;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Policies, auth methods, AppRole, tokens, leases and the database engine's settings over HTTPS, as Vault answers them.
 */
@PostgresDatabase
class VaultApiTest {

    private static final String HCL = """
            # agents read their own secrets
            path "secret/data/app/*" {
              capabilities = ["read", "list"]
            }
            /* and look themselves up */
            path "auth/token/lookup-self" { capabilities = ["read"] }
            """;

    private static TestServer server;
    private static RawHttp http;
    private static String root;

    @BeforeAll
    static void start(DataSource db) {
        server = TestServer.start(db);
        http = server.http;
        root = server.initializeAndUnseal();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void policiesInHclAndJsonOnBothPaths() {
        assertThat(http.send("PUT", "/v1/sys/policies/acl/app", root, Map.of("policy", HCL)).status()).isEqualTo(204);
        RawHttp.Answer read = http.get("/v1/sys/policies/acl/app", root);
        assertThat(read.data()).containsEntry("name", "app");
        assertThat(read.data()).as("the text exactly as written, as Vault returns it").containsEntry("policy", HCL);
        assertThat(http.send("LIST", "/v1/sys/policies/acl", root, null, null).data().get("keys").toString())
                .contains("app");
        assertThat(http.get("/v1/sys/policies/acl?list=true", root).status()).isEqualTo(200);

        String json = "{\"path\": {\"secret/data/old/*\": {\"capabilities\": [\"read\"]}}}";
        assertThat(http.send("PUT", "/v1/sys/policy/old", root, Map.of("rules", json)).status()).isEqualTo(204);
        RawHttp.Answer old = http.get("/v1/sys/policy/old", root);
        assertThat(old.json()).containsEntry("name", "old").containsEntry("rules", json);
        assertThat(http.get("/v1/sys/policies/acl/old", root).data()).containsEntry("policy", json);
        assertThat(old.json().get("policies")).isNull();
        assertThat(http.get("/v1/sys/policy", root).json().get("policies").toString())
                .contains("old", "app", "default");

        RawHttp.Answer bad = http.send("PUT", "/v1/sys/policies/acl/bad", root,
                Map.of("policy", "path \"secret/*\" { capabilities = [\"read\"] allowed_parameters = {} }"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("allowed_parameters");
        assertThat(http.send("DELETE", "/v1/sys/policy/old", root, null, null).status()).isEqualTo(204);
        assertThat(http.get("/v1/sys/policy/old", root).status()).isEqualTo(404);
    }

    @Test
    void authMethodsListedAndEnablingAppRoleIsANoop() {
        RawHttp.Answer auth = http.get("/v1/sys/auth", root);
        assertThat(auth.json()).containsKeys("approle/", "token/");
        assertThat(auth.data()).containsKeys("approle/", "token/");
        assertThat(http.post("/v1/sys/auth/approle", root, Map.of("type", "approle")).status()).isEqualTo(204);
        assertThat(http.post("/v1/sys/auth/userpass", root, Map.of("type", "userpass")).status()).isEqualTo(400);
    }

    @Test
    void appRoleLoginAndTokenHousekeeping() {
        http.send("PUT", "/v1/sys/policies/acl/reader", root, Map.of("policy", HCL));
        assertThat(http.post("/v1/auth/approle/role/web", root,
                Map.of("token_policies", "reader", "token_ttl", "20m", "token_max_ttl", "1h", "secret_id_num_uses", 0))
                .status()).isEqualTo(204);
        assertThat(http.get("/v1/auth/approle/role/web", root).data()).containsEntry("token_ttl", 1200)
                .containsEntry("token_max_ttl", 3600).containsEntry("token_policies", List.of("reader"));
        String roleId = (String) http.get("/v1/auth/approle/role/web/role-id", root).data().get("role_id");
        // secret-id accepts an empty body without a content type, as Vault does
        RawHttp.Answer secretId = http.send("POST", "/v1/auth/approle/role/web/secret-id", root, null, null);
        assertThat(secretId.data()).containsKeys("secret_id", "secret_id_accessor", "secret_id_ttl");

        RawHttp.Answer login = http.post("/v1/auth/approle/login", null,
                Map.of("role_id", roleId, "secret_id", secretId.data().get("secret_id")));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> auth = (Map<String, Object>) login.json().get("auth");
        String token = (String) auth.get("client_token");
        assertThat(auth).containsEntry("lease_duration", 1200).containsEntry("renewable", true);
        assertThat(auth.get("policies").toString()).contains("default", "reader");

        RawHttp.Answer wrong = http.post("/v1/auth/approle/login", null,
                Map.of("role_id", roleId, "secret_id", "nope"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json()).containsEntry("errors", List.of("invalid role or secret ID"));
        assertThat(wrong.body()).doesNotContain("nope");

        RawHttp.Answer self = http.send("GET", "/v1/auth/token/lookup-self", null, null, null);
        assertThat(self.status()).isEqualTo(403);
        RawHttp.Answer bearer = lookupSelfWithBearer(token);
        assertThat(bearer.data()).containsEntry("display_name", "approle:web")
                .containsEntry("accessor", auth.get("accessor"));

        RawHttp.Answer renewed = http.send("POST", "/v1/auth/token/renew-self", token, null, null);
        assertThat(renewed.status()).as(renewed.toString()).isEqualTo(200);
        assertThat(renewed.json().get("auth")).isNotNull();
        assertThat(http.send("POST", "/v1/auth/token/revoke-self", token, null, null).status()).isEqualTo(204);
        assertThat(http.get("/v1/auth/token/lookup-self", token).status()).isEqualTo(403);

        String second = http.post("/v1/auth/approle/login", null, Map.of("role_id", roleId, "secret_id",
                http.send("POST", "/v1/auth/approle/role/web/secret-id", root, null, null).data().get("secret_id")))
                .json().get("auth").toString();
        assertThat(second).contains("client_token");
    }

    @Test
    void revokeByAccessor() {
        http.post("/v1/auth/approle/role/acc", root, Map.of("token_policies", List.of("default")));
        String roleId = server.hub.auth().appRole().roleId(root, "acc");
        LoginResult login = server.hub.auth().appRole().login(roleId,
                server.hub.auth().appRole().generateSecretId(root, "acc").secretId(), "127.0.0.1");
        assertThat(http.post("/v1/auth/token/revoke-accessor", root, Map.of("accessor", login.accessor())).status())
                .isEqualTo(204);
        assertThat(http.send("DELETE", "/v1/auth/approle/role/acc", root, null, null).status()).isEqualTo(204);
        assertThat(http.get("/v1/auth/approle/role/acc", root).status()).isEqualTo(404);
        assertThat(http.get("/v1/auth/token/lookup-self", login.token()).status()).isEqualTo(403);
    }

    @Test
    void createLookupAndRevokeTokens() {
        http.send("PUT", "/v1/sys/policies/acl/child", root, Map.of("policy", HCL));
        RawHttp.Answer created = http.post("/v1/auth/token/create", root,
                Map.of("policies", List.of("child"), "ttl", "1h", "display_name", "ci"));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> auth = (Map<String, Object>) created.json().get("auth");
        String child = (String) auth.get("client_token");
        assertThat(auth.get("policies").toString()).contains("child", "default");
        assertThat(auth).containsEntry("lease_duration", 3600);

        RawHttp.Answer lookup = http.post("/v1/auth/token/lookup", root, Map.of("token", child));
        assertThat(lookup.data()).containsEntry("display_name", "token-ci")
                .containsEntry("accessor", auth.get("accessor"));
        assertThat(http.post("/v1/auth/token/lookup", root, Map.of("token", "not-a-token")).json())
                .containsEntry("errors", List.of("bad token"));

        // A child may only hand out what it holds.
        assertThat(http.post("/v1/auth/token/create", child, Map.of("policies", List.of("root"))).status())
                .isEqualTo(403);

        assertThat(http.post("/v1/auth/token/revoke", root, Map.of("token", child)).status()).isEqualTo(204);
        assertThat(http.get("/v1/auth/token/lookup-self", child).status()).isEqualTo(403);
    }

    @Test
    void leasesLookupRenewRevoke() {
        http.post("/v1/auth/approle/role/leased", root, Map.of("token_ttl", 600, "token_max_ttl", 3600));
        LoginResult login = server.hub.auth().appRole().login(server.hub.auth().appRole().roleId(root, "leased"),
                server.hub.auth().appRole().generateSecretId(root, "leased").secretId(), null);
        RawHttp.Answer lookup = http.send("PUT", "/v1/sys/leases/lookup", root, Map.of("lease_id", login.leaseId()));
        assertThat(lookup.status()).as(lookup.toString()).isEqualTo(200);
        assertThat(lookup.data()).containsEntry("id", login.leaseId()).containsEntry("renewable", true);
        RawHttp.Answer renew = http.send("PUT", "/v1/sys/leases/renew", root,
                Map.of("lease_id", login.leaseId(), "increment", "30m"));
        assertThat(renew.status()).as(renew.toString()).isEqualTo(200);
        assertThat(renew.json()).containsEntry("lease_id", login.leaseId());
        assertThat(((Number) renew.json().get("lease_duration")).longValue()).isBetween(1700L, 1800L);
        assertThat(http.send("PUT", "/v1/sys/leases/revoke", root, Map.of("lease_id", login.leaseId())).status())
                .isEqualTo(204);
        assertThat(http.get("/v1/auth/token/lookup-self", login.token()).status()).isEqualTo(403);
    }

    @Test
    void databaseConfigAndRoleRoundTrip() {
        RawHttp.Answer config = http.post("/v1/database/config/app", root, Map.of(
                "plugin_name", "postgresql-database-plugin",
                "connection_url", "postgresql://{{username}}:{{password}}@127.0.0.1:5432/postgres",
                "username", "vault_admin", "password", "not-checked", "allowed_roles", "readonly",
                "verify_connection", false));
        assertThat(config.status()).as(config.toString()).isEqualTo(204);
        RawHttp.Answer read = http.get("/v1/database/config/app", root);
        assertThat(read.body()).doesNotContain("not-checked");
        @SuppressWarnings("unchecked")
        Map<String, Object> details = (Map<String, Object>) read.data().get("connection_details");
        assertThat(details).containsEntry("connection_url", "jdbc:postgresql://127.0.0.1:5432/postgres")
                .containsEntry("username", "vault_admin");

        assertThat(http.post("/v1/database/roles/readonly", root, Map.of("db_name", "app",
                "creation_statements",
                        List.of("CREATE ROLE \"{{name}}\" LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'"),
                "default_ttl", "1h", "max_ttl", "24h")).status()).isEqualTo(204);
        assertThat(http.get("/v1/database/roles/readonly", root).data()).containsEntry("db_name", "app")
                .containsEntry("default_ttl", 3600).containsEntry("max_ttl", 86400);
        assertThat(http.get("/v1/database/creds/nosuchrole", root).status()).isEqualTo(404);
    }

    @Test
    void auditVerifyNeedsRootAndReportsAnIntactChain() {
        assertThat(http.get("/v1/sys/audit/verify", "garbage").status()).isEqualTo(403);
        RawHttp.Answer verify = http.get("/v1/sys/audit/verify", root);
        assertThat(verify.data()).containsEntry("intact", true).containsEntry("problem", "none");
        assertThat(((Number) verify.data().get("records_checked")).longValue()).isPositive();
    }

    private static RawHttp.Answer lookupSelfWithBearer(String token) {
        return http.sendWithHeader("GET", "/v1/auth/token/lookup-self", "Authorization", "Bearer " + token);
    }
}
