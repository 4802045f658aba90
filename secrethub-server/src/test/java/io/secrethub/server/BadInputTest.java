package io.secrethub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.db.PostgresDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hostile and broken requests: each gets a Vault-style error, leaks nothing, and the server keeps serving. */
@PostgresDatabase
class BadInputTest {

    private static final String SECRET = "hunter2-do-not-echo";
    private static final long MAX_BODY = 4096;

    private static TestServer server;
    private static RawHttp http;
    private static String root;

    @BeforeAll
    static void start(DataSource db) {
        server = TestServer.start(db, b -> b.maxRequestBytes(MAX_BODY).idleTimeout(Duration.ofSeconds(2)));
        http = server.http;
        root = server.initializeAndUnseal();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void stillServing() {
        assertThat(http.get("/v1/sys/health", null).status()).isEqualTo(200);
    }

    @Test
    void malformedJsonIs400WithoutEchoingTheBody() {
        RawHttp.Answer answer = http.post("/v1/secret/data/x", root, "{\"data\": {\"password\": \"" + SECRET + "\"");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json()).containsEntry("errors", List.of("failed to parse JSON input: malformed JSON"));
        assertThat(answer.body()).doesNotContain(SECRET);
        assertThat(http.post("/v1/secret/data/x", root, "[1, 2]").status()).isEqualTo(400);
        assertThat(http.post("/v1/secret/data/x", root, "{\"data\": {\"a\": \"1\"}, \"data\": {}}").status())
                .isEqualTo(400);
    }

    @Test
    void wrongContentTypeIs415() {
        RawHttp.Answer answer = http.send("POST", "/v1/secret/data/x", root, Map.of("data", Map.of("k", "v")),
                "application/xml");
        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.json()).containsKey("errors");
    }

    @Test
    void bodyOverTheLimitIs413() {
        String big = "{\"data\": {\"k\": \"" + "x".repeat((int) MAX_BODY) + "\"}}";
        RawHttp.Answer answer = http.post("/v1/secret/data/big", root, big);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.json()).containsEntry("errors", List.of("http: request body too large"));
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() {
        RawHttp.Answer unknown = http.get("/v1/nothing/here", root);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("errors").toString()).contains("no handler for route");
        assertThat(http.get("/not-v1", root).status()).isEqualTo(404);
        assertThat(http.send("DELETE", "/v1/sys/health", root, null, null).status()).isEqualTo(405);
        assertThat(http.send("PATCH", "/v1/secret/data/x", root, Map.of("data", Map.of())).status()).isEqualTo(405);
        assertThat(http.send("LIST", "/v1/sys/seal", root, null, null).json())
                .containsEntry("errors", List.of("unsupported operation"));
    }

    @Test
    void missingGarbageAndExpiredTokensAre403() throws Exception {
        assertThat(http.get("/v1/secret/data/x", null).status()).isEqualTo(403);
        RawHttp.Answer garbage = http.get("/v1/secret/data/x", SECRET);
        assertThat(garbage.status()).isEqualTo(403);
        assertThat(garbage.body()).doesNotContain(SECRET);

        http.post("/v1/auth/approle/role/short", root, Map.of("token_ttl", "1s", "token_max_ttl", "1s"));
        String roleId = server.hub.auth().appRole().roleId(root, "short");
        String token = server.hub.auth().appRole().login(roleId,
                server.hub.auth().appRole().generateSecretId(root, "short").secretId(), null).token();
        int status = 200;
        for (int i = 0; i < 100 && status == 200; i++) {
            Thread.sleep(100);
            status = http.get("/v1/auth/token/lookup-self", token).status();
        }
        assertThat(status).isEqualTo(403);
    }

    @Test
    void relativeSegmentsAndNulAreRefused() throws IOException {
        assertThat(rawRequest("GET /v1/secret/data/../../sys/seal-status HTTP/1.1\r\nHost: x\r\n"
                + "X-Vault-Token: " + root + "\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(rawRequest("GET /v1/secret/data/a%00b HTTP/1.1\r\nHost: x\r\nX-Vault-Token: " + root
                + "\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(rawRequest("GET /v1/secret/data/%2e%2e/x HTTP/1.1\r\nHost: x\r\nX-Vault-Token: " + root
                + "\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 400");
    }

    @Test
    void headerFloodIsRefused() throws IOException {
        StringBuilder request = new StringBuilder("GET /v1/sys/health HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 2000; i++) {
            request.append("X-Flood-").append(i).append(": ").append("y".repeat(20)).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        assertThat(rawRequest(request.toString())).startsWith("HTTP/1.1 431");
    }

    @Test
    void slowClientIsClosedByTheIdleTimeout() throws IOException {
        try (SSLSocket socket = tlsSocket()) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /v1/sys/health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout(60_000); // a bound for a broken server, not a timing assertion
            InputStream in = socket.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            // Closed without a response, or with Jetty's 408 for the unfinished request.
            assertThat(reply)
                    .satisfiesAnyOf(r -> assertThat(r).isEmpty(), r -> assertThat(r).startsWith("HTTP/1.1 408"));
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept an unfinished request open", e);
        } catch (javax.net.ssl.SSLException | java.net.SocketException closed) {
            // the server closed the connection: what the idle timeout should do
        }
    }

    @Test
    void plainHttpOnTheTlsPortIs400() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.server.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write("GET /v1/sys/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(reply).startsWith("HTTP/1.1 400").contains("Client sent an HTTP request to an HTTPS server.");
        }
    }

    @Test
    void anEmptyNamespaceHeaderIsAccepted() {
        RawHttp.Answer answer = http.sendWithHeader("GET", "/v1/sys/health", "X-Vault-Namespace", "");
        assertThat(answer.status()).isEqualTo(200);
    }

    private static String rawRequest(String request) throws IOException {
        try (SSLSocket socket = tlsSocket()) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static SSLSocket tlsSocket() throws IOException {
        SSLSocket socket = (SSLSocket) RawHttp.trusting(server.caFile).getSocketFactory()
                .createSocket("127.0.0.1", server.server.port());
        socket.startHandshake();
        return socket;
    }
}
