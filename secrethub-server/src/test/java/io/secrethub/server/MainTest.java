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
}
