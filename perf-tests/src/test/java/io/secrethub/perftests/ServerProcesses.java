package io.secrethub.perftests;

import com.zaxxer.hikari.HikariDataSource;
import io.secrethub.server.client.SecretHubClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What the suites that run the server as a separate process ({@code io.secrethub.server.Main} on this JVM's class
 * path) share: its database settings, waiting for its ready line, and unsealing it over the API.
 */
final class ServerProcesses {

    static final String MAIN = "io.secrethub.server.Main";
    private static final String READY = "SecretHub listening on ";

    private ServerProcesses() {
    }

    /** This JVM's {@code java} launcher, for starting the server with the same runtime. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Points the server's environment at the test's database (the class's {@code @PostgresDatabase} pool), and
     * drops any {@code SECRETHUB_} variable this JVM has, so only what the test sets applies.
     */
    static void useDatabase(Map<String, String> env, DataSource dataSource) {
        PGSimpleDataSource target = (PGSimpleDataSource) ((HikariDataSource) dataSource).getDataSource();
        env.keySet().removeIf(k -> k.startsWith("SECRETHUB_"));
        env.put("SECRETHUB_DB_URL", target.getURL());
        if (target.getUser() != null) {
            env.put("SECRETHUB_DB_USER", target.getUser());
        }
        if (target.getPassword() != null) {
            env.put("SECRETHUB_DB_PASSWORD", target.getPassword());
        }
    }

    /** Starts {@code builder} (stderr inherited) and waits for the ready line; returns the URL it names. */
    static Started start(ProcessBuilder builder) throws IOException {
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(READY)) {
                return new Started(process, line.substring(READY.length()));
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the server process exited before it was ready");
    }

    /** A started server process and the URL its ready line named. */
    record Started(Process process, String url) {
    }

    /** Sends shares until the server at {@code url} reports unsealed: a quorum, whatever the threshold. */
    static void unseal(String url, Path caFile, List<String> shares) {
        try (SecretHubClient unsealer = SecretHubClient.connect(url, caFile)) {
            for (String share : shares) {
                if (Boolean.FALSE.equals(unsealer.anonymous().send("PUT", "sys/unseal", null, Map.of("key", share))
                        .orThrow().body().get("sealed"))) {
                    return;
                }
            }
        }
        throw new IllegalStateException("the server process is still sealed after " + shares.size() + " shares");
    }
}
