package io.secrethub.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.secrethub.core.SecretHub;
import io.secrethub.core.SecretHubBuilder;
import io.secrethub.server.tls.DevTls;
import io.secrethub.server.tls.PemFiles;
import io.secrethub.server.tls.ServerIdentity;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar secrethub-server.jar [--config FILE]}: reads the settings, connects to PostgreSQL,
 * starts sealed (or uninitialized) and serves until SIGTERM or SIGINT, then drains, flushes the audit log,
 * closes the pool and exits 0. A bad setting prints one line naming it and exits 2.
 *
 * <p>The drain on SIGTERM: at once {@code sys/health} answers 429, responses close their connections and WebSocket
 * agents are closed with 1001 (reconnect elsewhere); the server keeps serving for {@code SECRETHUB_DRAIN_DELAY}
 * seconds (default 0) so a load balancer sees the 429 first, then stops accepting and gives requests in flight
 * {@code SECRETHUB_DRAIN_TIMEOUT} seconds (default 10) to finish; then the hub seals (flushing the audit log and
 * deleting its heartbeat row) and the process exits 0.
 */
public final class Main {

    static final int EXIT_BAD_SETTINGS = 2;

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args, System.getenv(), System.out, System.err);
        System.exit(status);
    }

    static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        Running running;
        try {
            running = start(args, environment, out);
        } catch (SettingsException e) {
            err.println("secrethub-server: " + e.getMessage());
            return EXIT_BAD_SETTINGS;
        }
        CountDownLatch stop = new CountDownLatch(1);
        StopSignals.install(() -> {
            running.server().drain(); // health 429 and agents told to move at once, on the signal's own thread
            stop.countDown();
        });
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.close();
        return 0;
    }

    /** A started server and what it must close after it. */
    record Running(SecretHubServer server, SecretHub hub, HikariDataSource pool) implements AutoCloseable {
        @Override
        public void close() {
            server.close(); // drains in-flight requests
            hub.close(); // seals, flushes the audit log
            pool.close();
        }
    }

    static Running start(String[] args, Map<String, String> environment, PrintStream out) {
        ServerSettings settings = ServerSettings.load(environment, configFile(args));
        ListenAddress address = settings.address();
        long maxRequestBytes = settings.maxRequestBytes();
        java.time.Duration idleTimeout = settings.idleTimeout();
        int maxHandshakes = settings.maxHandshakes();
        int maxConcurrentRequests = settings.maxConcurrentRequests();
        java.time.Duration drainTimeout = settings.drainTimeout();
        java.time.Duration drainDelay = settings.drainDelay();
        java.util.Optional<String> apiAddress = settings.apiAddress();
        ServerIdentity identity = identity(settings, address);
        HikariDataSource pool = pool(settings);
        SecretHub hub;
        try {
            SecretHubBuilder builder = SecretHub.builder().dataSource(pool)
                    .maxConcurrentRequests(maxConcurrentRequests);
            settings.auditFile().ifPresent(builder::auditFile);
            hub = builder.build();
        } catch (java.io.UncheckedIOException e) {
            pool.close();
            throw new SettingsException(ServerSettings.AUDIT_FILE, e.getMessage());
        } catch (RuntimeException e) {
            pool.close();
            throw new SettingsException(settings.dbSettingName(), "cannot prepare the database: " + e.getMessage());
        }
        SecretHubServer server;
        try {
            SecretHubServer.Builder builder = SecretHubServer.builder().hub(hub).address(address).identity(identity)
                    .idleTimeout(idleTimeout).maxRequestBytes(maxRequestBytes).drainTimeout(drainTimeout)
                    .drainDelay(drainDelay).maxHandshakes(maxHandshakes);
            apiAddress.ifPresent(builder::apiAddress);
            server = builder.build().start();
        } catch (RuntimeException e) {
            hub.close();
            pool.close();
            throw e;
        }
        identity.caFile().ifPresent(ca -> out.println("CA certificate: " + ca.toAbsolutePath()));
        out.println("SecretHub listening on " + server.url());
        out.flush();
        return new Running(server, hub, pool);
    }

    private static Path configFile(String[] args) {
        if (args.length == 0) {
            return null;
        }
        if (args.length == 2 && args[0].equals("--config")) {
            return Path.of(args[1]);
        }
        if (args.length == 1 && args[0].startsWith("--config=")) {
            return Path.of(args[0].substring("--config=".length()));
        }
        throw new SettingsException("arguments", "usage: secrethub-server [--config FILE]");
    }

    private static ServerIdentity identity(ServerSettings settings, ListenAddress address) {
        return settings.tlsFiles()
                .map(files -> PemFiles.load(files[0], files[1], ServerSettings.TLS_CERT, ServerSettings.TLS_KEY))
                .orElseGet(() -> {
                    try {
                        return DevTls.create(address.host(), settings.tlsDir().orElse(null));
                    } catch (IOException e) {
                        throw new SettingsException(ServerSettings.TLS_DIR, "cannot write ca.pem: " + e.getMessage());
                    }
                });
    }

    private static HikariDataSource pool(ServerSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.dbUser());
        settings.dbPassword().ifPresent(config::setPassword);
        config.setMaximumPoolSize(settings.dbPoolSize());
        config.setPoolName("secrethub");
        config.setInitializationFailTimeout(5_000);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            String reason = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            throw new SettingsException(settings.dbSettingName(), "cannot connect to " + config.getJdbcUrl()
                    + " as " + config.getUsername() + ": " + firstLine(reason));
        }
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unknown error";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}
