package io.secrethub.perftests;

import com.zaxxer.hikari.HikariDataSource;
import io.secrethub.server.client.SecretHubClient;
import io.secrethub.server.client.ServerUnavailableException;
import io.secrethub.server.client.WriteOutcomeUnknownException;
import io.secrethub.server.tls.DevTls;
import io.secrethub.server.tls.PemFiles;
import io.secrethub.server.tls.ServerIdentity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.time.Duration;
import java.util.Base64;
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
        return start(builder, ProcessBuilder.Redirect.INHERIT);
    }

    /** Starts {@code builder} with its stderr sent to {@code log} and waits for the ready line. */
    static Started start(ProcessBuilder builder, ProcessBuilder.Redirect log) throws IOException {
        builder.redirectError(log);
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

    /** How long {@link #unseal} keeps trying when its calls go unanswered. */
    static final Duration UNSEAL_PATIENCE = Duration.ofMinutes(3);

    /** A started server process and the URL its ready line named. */
    record Started(Process process, String url) {
    }

    /**
     * Sends shares until the server at {@code url} reports unsealed: a quorum, whatever the threshold. Like an
     * operator, it tries again when a call gets no answer (a server flooded by returning agents' TLS handshakes,
     * as in a 10,000-agent reconnect storm, took more than the client's 30 s to answer one), for up to
     * {@link #UNSEAL_PATIENCE}; the seal status's {@code progress} says which share is next, so a share that was
     * applied without an answer is not sent twice.
     */
    static void unseal(String url, Path caFile, List<String> shares) {
        long deadline = System.nanoTime() + UNSEAL_PATIENCE.toNanos();
        int unanswered = 0;
        try (SecretHubClient unsealer = SecretHubClient.connect(url, caFile)) {
            while (true) {
                try {
                    Map<String, Object> status = unsealer.anonymous().send("GET", "sys/seal-status", null, null)
                            .orThrow().body();
                    if (Boolean.FALSE.equals(status.get("sealed"))) {
                        break;
                    }
                    int next = ((Number) status.get("progress")).intValue();
                    if (next >= shares.size()) {
                        throw new IllegalStateException("the server process is still sealed after " + shares.size()
                                + " shares");
                    }
                    unsealer.anonymous().send("PUT", "sys/unseal", null, Map.of("key", shares.get(next))).orThrow();
                } catch (WriteOutcomeUnknownException | ServerUnavailableException e) {
                    unanswered++;
                    if (System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException("could not unseal " + url + " within " + UNSEAL_PATIENCE
                                + " (" + unanswered + " calls unanswered)", e);
                    }
                }
            }
        }
        if (unanswered > 0) {
            System.out.printf("[server] unsealing %s needed patience: %d calls went unanswered%n", url, unanswered);
        }
    }

    /**
     * Writes a development CA ({@code ca.pem}), a server certificate for 127.0.0.1 ({@code server.pem}) and its key
     * ({@code server-key.pem}) into {@code directory}, once: several processes (one cluster, or one process that
     * is restarted) then present the same identity, so a client trusts them all through one CA file.
     */
    static Path[] identity(Path directory) throws Exception {
        Path cert = directory.resolve("server.pem");
        Path key = directory.resolve("server-key.pem");
        if (!Files.exists(cert)) {
            ServerIdentity identity = DevTls.create("127.0.0.1", directory); // writes ca.pem
            String alias = identity.keyStore().aliases().nextElement();
            Key privateKey = identity.keyStore().getKey(alias, identity.keyStorePassword().toCharArray());
            StringBuilder chain = new StringBuilder();
            for (var c : identity.chain()) {
                chain.append(PemFiles.certificate(c));
            }
            Files.writeString(cert, chain);
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" // PKCS#8, as getEncoded() gives it
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(privateKey.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
        }
        return new Path[] {cert, key};
    }

    /**
     * One server process of a cluster: a fixed loopback port and TLS identity, a database given by URL, so it can
     * be killed (SIGKILL), terminated (SIGTERM: drain, exit 0) and started again as the same server to its clients.
     * Its stderr goes to {@code <name>.log} in the TLS directory (three servers' logs would drown the test's own).
     */
    static final class Instance implements AutoCloseable {

        private final String name;
        private final int port;
        private final Path tls;
        private final Map<String, String> database;
        private final List<String> shares;
        private volatile Process process;

        /**
         * @param database {@code SECRETHUB_DB_URL} and, as needed, {@code SECRETHUB_DB_USER}/{@code _PASSWORD}
         * @param shares a quorum of unseal shares (every start unseals with them)
         */
        Instance(String name, int port, Path tls, Map<String, String> database, List<String> shares) {
            this.name = name;
            this.port = port;
            this.tls = tls;
            this.database = Map.copyOf(database);
            this.shares = List.copyOf(shares);
        }

        /** A free loopback port, for instances that must keep their address across restarts. */
        static int freePort() throws IOException {
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                    java.net.InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }

        /** Starts the process, waits for its ready line and unseals it. */
        synchronized void start() throws Exception {
            if (process != null && process.isAlive()) {
                throw new IllegalStateException(name + " is already running");
            }
            Path[] files = identity(tls);
            ProcessBuilder builder = new ProcessBuilder(java(), "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                    System.getProperty("java.class.path"), MAIN);
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(k -> k.startsWith("SECRETHUB_") || k.startsWith("PG"));
            env.putAll(database);
            env.put("SECRETHUB_ADDR", "127.0.0.1:" + port);
            env.put("SECRETHUB_TLS_CERT", files[0].toString());
            env.put("SECRETHUB_TLS_KEY", files[1].toString());
            Started started = ServerProcesses.start(builder,
                    ProcessBuilder.Redirect.appendTo(tls.resolve(name + ".log").toFile()));
            process = started.process();
            unseal(started.url(), caFile(), shares);
        }

        /** SIGKILL, as a crash: nothing is flushed, connections are reset. Waits until the process is gone. */
        void kill() throws InterruptedException {
            Process p = process;
            if (p != null) {
                p.destroyForcibly();
                p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        }

        /** SIGTERM (drain, flush, exit); returns the exit code, or -1 if it had not exited within {@code wait}. */
        int terminate(Duration wait) throws InterruptedException {
            Process p = process;
            if (p == null) {
                return -1;
            }
            p.destroy();
            if (!p.waitFor(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
                return -1;
            }
            return p.exitValue();
        }

        boolean alive() {
            Process p = process;
            return p != null && p.isAlive();
        }

        String name() {
            return name;
        }

        String url() {
            return "https://127.0.0.1:" + port;
        }

        Path caFile() {
            return tls.resolve("ca.pem");
        }

        @Override
        public void close() {
            try {
                if (alive() && terminate(Duration.ofSeconds(30)) < 0) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
