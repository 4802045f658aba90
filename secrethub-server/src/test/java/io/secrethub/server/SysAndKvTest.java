package io.secrethub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.db.PostgresDatabase;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The seal lifecycle and KV v2 over real HTTPS, with Vault's status codes and bodies. */
@PostgresDatabase
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SysAndKvTest {

    private static TestServer server;
    private static RawHttp http;
    private static String root;

    @BeforeAll
    static void start(DataSource db) {
        server = TestServer.start(db);
        http = server.http;
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    @Order(1)
    void uninitializedServerSaysSoAndIgnoresAToken() {
        RawHttp.Answer health = http.get("/v1/sys/health", "some-token-before-init");
        assertThat(health.status()).isEqualTo(501);
        assertThat(health.json()).containsEntry("initialized", false).containsEntry("sealed", true);
        assertThat(http.get("/v1/sys/health?uninitcode=200", null).status()).isEqualTo(200);
        assertThat(http.get("/v1/sys/init", "ignored").json()).containsEntry("initialized", false);
        assertThat(http.get("/v1/sys/seal-status", null).json()).containsEntry("initialized", false)
                .containsEntry("sealed", true).containsEntry("t", 0);
    }

    @Test
    @Order(2)
    void initUnsealAndHealth() {
        RawHttp.Answer init = http.send("PUT", "/v1/sys/init", "ignored-before-init",
                Map.of("secret_shares", 3, "secret_threshold", 2));
        assertThat(init.status()).as(init.toString()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<String> keys = (List<String>) init.json().get("keys");
        @SuppressWarnings("unchecked")
        List<String> base64 = (List<String>) init.json().get("keys_base64");
        root = (String) init.json().get("root_token");
        assertThat(keys).hasSize(3).allMatch(k -> k.matches("[0-9a-f]+"));
        assertThat(base64).hasSize(3);
        assertThat(http.post("/v1/sys/init", null, Map.of("secret_shares", 1, "secret_threshold", 1)).json())
                .containsEntry("errors", List.of("Vault is already initialized"));

        assertThat(http.get("/v1/sys/health", null).status()).isEqualTo(503);
        assertThat(http.get("/v1/secret/data/x", root).json()).containsEntry("errors", List.of("Vault is sealed"));
        assertThat(http.get("/v1/secret/data/x", root).status()).isEqualTo(503);

        assertThat(http.post("/v1/sys/unseal", null, Map.of()).status()).isEqualTo(400);
        RawHttp.Answer first = http.post("/v1/sys/unseal", null, Map.of("key", keys.get(0)));
        assertThat(first.json()).containsEntry("sealed", true).containsEntry("progress", 1).containsEntry("t", 2)
                .containsEntry("n", 3);
        RawHttp.Answer second = http.post("/v1/sys/unseal", null, Map.of("key", base64.get(2)));
        assertThat(second.json()).containsEntry("sealed", false).containsEntry("progress", 0);
        assertThat(http.send("HEAD", "/v1/sys/health", null, null).status()).isEqualTo(200);
        assertThat(http.get("/v1/sys/health", null).json()).containsEntry("initialized", true)
                .containsEntry("sealed", false).containsEntry("standby", false);
    }

    @Test
    @Order(3)
    void kvWriteReadWithCheckAndSet() {
        RawHttp.Answer written = http.post("/v1/secret/data/app/db", root,
                Map.of("data", Map.of("password", "s3cret"), "options", Map.of("cas", 0)));
        assertThat(written.status()).as(written.toString()).isEqualTo(200);
        assertThat(written.data()).containsEntry("version", 1).containsEntry("deletion_time", "")
                .containsEntry("destroyed", false).containsKey("created_time");

        RawHttp.Answer conflict = http.post("/v1/secret/data/app/db", root,
                Map.of("data", Map.of("password", "other"), "options", Map.of("cas", 0)));
        assertThat(conflict.status()).isEqualTo(400);
        assertThat(conflict.json()).containsEntry("errors",
                List.of("check-and-set parameter did not match the current version"));

        http.post("/v1/secret/data/app/db", root, Map.of("data", Map.of("password", "v2")));
        RawHttp.Answer read = http.get("/v1/secret/data/app/db", root);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).containsKeys("request_id", "lease_id", "renewable", "lease_duration", "wrap_info",
                "warnings", "auth").containsEntry("mount_type", "kv");
        assertThat(read.data()).containsEntry("data", Map.of("password", "v2"));
        assertThat(http.get("/v1/secret/data/app/db?version=1", root).data())
                .containsEntry("data", Map.of("password", "s3cret"));
        assertThat(http.get("/v1/secret/data/app/none", root).json()).containsEntry("errors", List.of());
        assertThat(http.get("/v1/secret/data/app/none", root).status()).isEqualTo(404);
    }

    @Test
    @Order(4)
    void deleteUndeleteDestroyAndMetadata() {
        assertThat(http.send("DELETE", "/v1/secret/data/app/db", root, null, null).status()).isEqualTo(204);
        RawHttp.Answer deleted = http.get("/v1/secret/data/app/db", root);
        assertThat(deleted.status()).isEqualTo(404);
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) deleted.data().get("metadata");
        assertThat(metadata.get("deletion_time")).asString().isNotEmpty();
        assertThat(deleted.data()).containsEntry("data", null);

        assertThat(http.post("/v1/secret/undelete/app/db", root, Map.of("versions", List.of(2))).status())
                .isEqualTo(204);
        assertThat(http.get("/v1/secret/data/app/db", root).status()).isEqualTo(200);
        assertThat(http.post("/v1/secret/destroy/app/db", root, Map.of("versions", List.of(1))).status())
                .isEqualTo(204);

        RawHttp.Answer meta = http.get("/v1/secret/metadata/app/db", root);
        assertThat(meta.data()).containsEntry("current_version", 2).containsEntry("oldest_version", 1)
                .containsKeys("max_versions", "created_time", "updated_time", "cas_required");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> versions = (Map<String, Map<String, Object>>) meta.data().get("versions");
        assertThat(versions.get("1")).containsEntry("destroyed", true);
        assertThat(versions.get("2")).containsEntry("destroyed", false).containsEntry("deletion_time", "");

        assertThat(http.send("LIST", "/v1/secret/metadata/app", root, null, null).data())
                .containsEntry("keys", List.of("db"));
        assertThat(http.get("/v1/secret/metadata/?list=true", root).data()).containsEntry("keys", List.of("app/"));
        assertThat(http.post("/v1/secret/metadata/app/db", root, Map.of("max_versions", 5, "cas_required", true))
                .status()).isEqualTo(204);
        assertThat(http.get("/v1/secret/metadata/app/db", root).data()).containsEntry("max_versions", 5)
                .containsEntry("cas_required", true);
        assertThat(http.send("DELETE", "/v1/secret/metadata/app/db", root, null, null).status()).isEqualTo(204);
        assertThat(http.get("/v1/secret/metadata/app/db", root).status()).isEqualTo(404);
    }

    @Test
    @Order(5)
    void tokensInEitherHeaderAndDenials() {
        http.post("/v1/secret/data/t", root, Map.of("data", Map.of("k", "v")));
        RawHttp.Answer denied = http.get("/v1/secret/data/t", "garbage");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.json()).containsEntry("errors", List.of("permission denied"));
        assertThat(http.get("/v1/secret/data/t", null).status()).isEqualTo(403);
        assertThat(denied.body()).doesNotContain("garbage");
    }

    @Test
    @Order(6)
    void sealNeedsRootThenSeals() {
        assertThat(http.send("PUT", "/v1/sys/seal", "garbage", null, null).status()).isEqualTo(403);
        assertThat(http.send("PUT", "/v1/sys/seal", root, null, null).status()).isEqualTo(204);
        assertThat(http.get("/v1/sys/seal-status", null).json()).containsEntry("sealed", true);
        assertThat(http.get("/v1/sys/health", null).status()).isEqualTo(503);
    }
}
