package io.secrethub.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.secrethub.perf.db.PostgresDatabase;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/** The start-up contract: settings, the ready line, exit 2 on a bad setting, SIGTERM drains and exits 0. */
@PostgresDatabase
class MainTest {

    @TempDir
    Path dir;

    /** The test database as the server's settings (perf-junit pools a PGSimpleDataSource). */
    private static Map<String, String> database(DataSource db) {
        PGSimpleDataSource target = (PGSimpleDataSource) ((HikariDataSource) db).getDataSource();
        Map<String, String> env = new HashMap<>();
        env.put(ServerSettings.DB_URL, target.getURL());
        if (target.getUser() != null) {
            env.put(ServerSettings.DB_USER, target.getUser());
        }
        if (target.getPassword() != null) {
            env.put(ServerSettings.DB_PASSWORD, target.getPassword());
        }
        return env;
    }

    private record Outcome(int status, String out, String err) {
    }

    private static Outcome runInProcess(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void portInUseExits2NamingTheAddress(DataSource db) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Map<String, String> env = database(db);
            env.put(ServerSettings.ADDR, "127.0.0.1:" + taken.getLocalPort());
            env.put(ServerSettings.TLS_DIR, dir.toString());
            Outcome outcome = runInProcess(env);
            assertThat(outcome.status()).isEqualTo(2);
            assertThat(outcome.err().strip()).startsWith("secrethub-server: SECRETHUB_ADDR: cannot listen on")
                    .doesNotContain("\n");
        }
    }

    @Test
    void unreadablePemExits2NamingTheSetting(DataSource db) throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "not a certificate");
        Map<String, String> env = database(db);
        env.put(ServerSettings.TLS_CERT, cert.toString());
        env.put(ServerSettings.TLS_KEY, dir.resolve("missing-key.pem").toString());
        Outcome outcome = runInProcess(env);
        assertThat(outcome.status()).isEqualTo(2);
        assertThat(outcome.err().strip()).startsWith("secrethub-server: SECRETHUB_TLS_CERT:").doesNotContain("\n");
    }

    @Test
    void anAuditFileThatCannotBeOpenedExits2NamingTheSetting(DataSource db) throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        Map<String, String> env = database(db);
        env.put(ServerSettings.AUDIT_FILE, notADirectory.resolve("audit.log").toString());
        env.put(ServerSettings.TLS_DIR, dir.toString());
        env.put(ServerSettings.ADDR, "127.0.0.1:0");
        Outcome outcome = runInProcess(env);
        assertThat(outcome.status()).isEqualTo(2);
        assertThat(outcome.err().strip())
                .startsWith("secrethub-server: SECRETHUB_AUDIT_FILE: cannot open the audit file")
                .doesNotContain("\n");
    }

    @Test
    void unreachableDatabaseExits2NamingTheSetting() {
        Map<String, String> env = new HashMap<>();
        env.put(ServerSettings.DB_URL, "jdbc:postgresql://127.0.0.1:1/nothing?connectTimeout=2");
        env.put(ServerSettings.DB_USER, "nobody");
        env.put(ServerSettings.DB_PASSWORD, "do-not-print-me");
        env.put(ServerSettings.TLS_DIR, dir.toString());
        env.put(ServerSettings.ADDR, "127.0.0.1:0");
        Outcome outcome = runInProcess(env);
        assertThat(outcome.status()).isEqualTo(2);
        assertThat(outcome.err().strip()).startsWith("secrethub-server: SECRETHUB_DB_URL: cannot connect")
                .doesNotContain("do-not-print-me").doesNotContain("\n");
    }

    @Test
    void badAddressAndArgumentsExit2() {
        Map<String, String> env = new HashMap<>();
        env.put(ServerSettings.ADDR, "no-port");
        assertThat(runInProcess(env).err()).contains("SECRETHUB_ADDR");
        assertThat(runInProcess(env).status()).isEqualTo(2);
        assertThat(runInProcess(Map.of(), "--bogus").err()).contains("usage");
    }

    @Test
    void configFileSettingsReadyLineAndSigtermExitsZero(DataSource db) throws Exception {
        Path config = dir.resolve("server.properties");
        List<String> lines = new ArrayList<>();
        database(db).forEach((k, v) -> lines.add(k + "=" + v.replace("\\", "\\\\")));
        lines.add(ServerSettings.ADDR + "=127.0.0.1:0");
        lines.add(ServerSettings.TLS_DIR + "=" + dir.resolve("tls").toString().replace("\\", "\\\\"));
        Files.write(config, lines);
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--config", config.toString());
        builder.environment().keySet().removeIf(k -> k.startsWith("SECRETHUB_"));
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String first = out.readLine();
            String second = out.readLine();
            assertThat(first).isEqualTo("CA certificate: " + dir.resolve("tls").resolve("ca.pem").toAbsolutePath());
            assertThat(second).matches("SecretHub listening on https://127\\.0\\.0\\.1:\\d+");
            assertThat(dir.resolve("tls").resolve("ca.pem")).content().startsWith("-----BEGIN CERTIFICATE-----");
            int port = Integer.parseInt(second.substring(second.lastIndexOf(':') + 1));
            RawHttp http = new RawHttp(port, dir.resolve("tls").resolve("ca.pem"));
            assertThat(http.get("/v1/sys/health", null).status()).isEqualTo(501);

            process.destroy(); // SIGTERM
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * The drain as a real process: on SIGTERM health turns 429 at once, the WebSocket agent is told to go away
     * (1001), a request in flight (its body still arriving) finishes after the port has closed, the heartbeat row is
     * gone, and the process exits 0.
     */
    @Test
    @SuppressWarnings("unchecked")
    void sigtermDrainsAgentsAndInFlightRequestsThenExitsZero(DataSource db) throws Exception {
        Path tls = dir.resolve("drain-tls");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName());
        builder.environment().keySet().removeIf(k -> k.startsWith("SECRETHUB_"));
        builder.environment().putAll(database(db));
        builder.environment().put(ServerSettings.ADDR, "127.0.0.1:0");
        builder.environment().put(ServerSettings.TLS_DIR, tls.toString());
        builder.environment().put(ServerSettings.DRAIN_DELAY, "2");
        builder.environment().put(ServerSettings.DRAIN_TIMEOUT, "15");
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            out.readLine();
            String ready = out.readLine();
            assertThat(ready).startsWith("SecretHub listening on ");
            String url = ready.substring("SecretHub listening on ".length());
            int port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
            Path ca = tls.resolve("ca.pem");
            RawHttp http = new RawHttp(port, ca);
            Map<String, Object> init = http.send("PUT", "/v1/sys/init", null,
                    Map.of("secret_shares", 1, "secret_threshold", 1)).json();
            String root = (String) init.get("root_token");
            http.send("PUT", "/v1/sys/unseal", null, Map.of("key", ((List<String>) init.get("keys")).get(0)));
            assertThat(http.get("/v1/sys/health", null).status()).isEqualTo(200);
            await(() -> ((List<Map<String, Object>>) http.get("/v1/sys/ha-status", root).data().get("nodes"))
                    .stream().anyMatch(n -> url.equals(n.get("api_address"))));

            io.secrethub.server.client.AgentKeys keys = io.secrethub.server.client.AgentKeys.generate("drained");
            String certificate;
            try (io.secrethub.server.client.SecretHubClient client =
                    io.secrethub.server.client.SecretHubClient.connect(url, ca)) {
                certificate = client.anonymous().registerAgent(root, keys);
            }
            try (RawWebSocket agent = RawWebSocket.open(port, ca, keys, certificate, root);
                    javax.net.ssl.SSLSocket slow = (javax.net.ssl.SSLSocket) RawHttp.trusting(ca).getSocketFactory()
                            .createSocket("127.0.0.1", port)) {
                assertThat(agent.status).isEqualTo(101);
                // A write whose body is still arriving when the signal comes.
                String body = "{\"data\": {\"v\": \"written during the drain\"}}";
                slow.setSoTimeout(60_000);
                var slowOut = slow.getOutputStream();
                slowOut.write(("PUT /v1/secret/data/drain/slow HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Vault-Token: " + root
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n"
                        + body.substring(0, 10)).getBytes(StandardCharsets.US_ASCII));
                slowOut.flush();

                process.destroy(); // SIGTERM
                await(() -> healthStatus(port, ca) == 429);
                assertThat(agent.awaitClose()).isEqualTo(io.secrethub.server.ws.CloseCodes.GOING_AWAY);
                // After the drain delay (2 s from the 429) the server stops accepting and waits for what is in flight.
                Thread.sleep(3000);
                assertThat(handshakes(port, ca)).as("still accepting connections after the drain delay").isFalse();

                slowOut.write(body.substring(10).getBytes(StandardCharsets.US_ASCII));
                slowOut.flush();
                BufferedReader answer = new BufferedReader(new InputStreamReader(slow.getInputStream(),
                        StandardCharsets.US_ASCII));
                String status = answer.readLine();
                StringBuilder rest = new StringBuilder();
                for (String line = answer.readLine(); line != null && rest.length() < 2000; line = answer.readLine()) {
                    rest.append(line).append('\n');
                    if (line.startsWith("{")) {
                        break;
                    }
                }
                assertThat(status).as(rest.toString()).isEqualTo("HTTP/1.1 200 OK");
            }
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
            try (var c = db.getConnection(); var s = c.prepareStatement(
                    "SELECT count(*) FROM cluster_instances WHERE api_address = ?")) {
                s.setString(1, url);
                try (var rs = s.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("the heartbeat row left with the process").isZero();
                }
            }
        } finally {
            process.destroyForcibly();
        }
    }

    /** The health status over a new connection, or -1 if no connection can be made. */
    private static int healthStatus(int port, Path ca) {
        if (!handshakes(port, ca)) {
            return -1;
        }
        try {
            return new RawHttp(port, ca).get("/v1/sys/health", null).status();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * Whether a new TLS connection completes its handshake within 2 s. A stopped connector may leave connections in
     * the listen backlog unanswered rather than refuse them, so a client without a timeout would wait there.
     */
    private static boolean handshakes(int port, Path ca) {
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) RawHttp.trusting(ca).getSocketFactory()
                .createSocket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(2000);
            socket.startHandshake();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited 30 s").isNegative();
            Thread.sleep(20);
        }
    }
}
