package io.secrethub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.jopenlibs.vault.SslConfig;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.secrethub.perf.db.PostgresDatabase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A stock Vault client library (jopenlibs vault-java-driver), unchanged, against SecretHub. */
@PostgresDatabase
class StockVaultClientTest {

    private static TestServer server;

    @BeforeAll
    static void start(DataSource db) {
        server = TestServer.start(db);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * The driver applies its KV engine version to every logical path (version 2 puts {@code data/} into
     * each), so KV v2 calls get a version-2 client and AppRole calls a version-1 one, as its users do.
     */
    private static Vault vault(String token, int kvVersion) throws VaultException {
        VaultConfig config = new VaultConfig().address(server.server.url()).engineVersion(kvVersion)
                .sslConfig(new SslConfig().pemFile(server.caFile.toFile()).build());
        if (token != null) {
            config.token(token);
        }
        return Vault.create(config.build(), kvVersion);
    }

    @Test
    void unsealWriteReadAndAppRoleLoginThroughAStockClient() throws Exception {
        RawHttp.Answer init = server.http.send("PUT", "/v1/sys/init", null,
                Map.of("secret_shares", 1, "secret_threshold", 1));
        @SuppressWarnings("unchecked")
        String key = ((List<String>) init.json().get("keys")).get(0);
        String root = (String) init.json().get("root_token");

        Vault anonymous = vault(null, 1);
        assertThat(anonymous.seal().sealStatus().getSealed()).isTrue();
        assertThat(anonymous.seal().unseal(key).getSealed()).isFalse();

        Vault admin = vault(root, 2);
        Vault adminV1 = vault(root, 1);
        admin.logical().write("secret/app/db", Map.of("password", "s3cret"));
        LogicalResponse read = admin.logical().read("secret/app/db");
        assertThat(read.getRestResponse().getStatus()).isEqualTo(200);
        assertThat(read.getData()).containsEntry("password", "s3cret");

        server.http.send("PUT", "/v1/sys/policies/acl/reader", root,
                Map.of("policy", "path \"secret/data/app/*\" { capabilities = [\"read\"] }"));
        Map<String, Object> role = new HashMap<>();
        role.put("token_policies", "reader");
        role.put("token_ttl", "20m");
        adminV1.logical().write("auth/approle/role/web", role);
        String roleId = adminV1.logical().read("auth/approle/role/web/role-id").getData().get("role_id");
        String secretId = adminV1.logical().write("auth/approle/role/web/secret-id", null).getData().get("secret_id");

        String token = anonymous.auth().loginByAppRole(roleId, secretId).getAuthClientToken();
        assertThat(token).isNotBlank();
        Vault agent = vault(token, 2);
        assertThat(agent.logical().read("secret/app/db").getData()).containsEntry("password", "s3cret");
        assertThat(agent.auth().lookupSelf().getPolicies()).contains("default", "reader");
        // The driver hands non-2xx answers of writes back rather than throwing.
        assertThat(agent.logical().write("secret/app/db", Map.of("password", "mine")).getRestResponse().getStatus())
                .isEqualTo(403);
        assertThat(admin.logical().read("secret/app/db").getData()).containsEntry("password", "s3cret");
    }
}
