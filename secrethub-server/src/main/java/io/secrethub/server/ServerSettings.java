package io.secrethub.server;

import java.io.IOException;
import java.io.Reader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The server's settings: environment variables, or the same keys in a properties file given with
 * {@code --config FILE} (the file wins, so one file describes one deployment). The database falls back to
 * libpq's variables ({@code PGHOST}, {@code PGPORT}, {@code PGUSER}, {@code PGPASSWORD}, {@code PGDATABASE})
 * the way the tests find a server.
 */
public final class ServerSettings {

    public static final String DB_URL = "SECRETHUB_DB_URL";
    public static final String DB_USER = "SECRETHUB_DB_USER";
    public static final String DB_PASSWORD = "SECRETHUB_DB_PASSWORD";
    public static final String ADDR = "SECRETHUB_ADDR";
    public static final String TLS_CERT = "SECRETHUB_TLS_CERT";
    public static final String TLS_KEY = "SECRETHUB_TLS_KEY";
    public static final String TLS_DIR = "SECRETHUB_TLS_DIR";
    public static final String MAX_REQUEST_SIZE = "SECRETHUB_MAX_REQUEST_SIZE";
    public static final String IDLE_TIMEOUT = "SECRETHUB_IDLE_TIMEOUT";
    /** Seconds requests in flight may take to finish after SIGTERM (default 10). */
    public static final String DRAIN_TIMEOUT = "SECRETHUB_DRAIN_TIMEOUT";
    /** Seconds to keep serving after SIGTERM with health at 429, before the port closes (default 0). */
    public static final String DRAIN_DELAY = "SECRETHUB_DRAIN_DELAY";
    /** The API address this instance advertises to the others (Vault's {@code api_addr}); default its own URL. */
    public static final String API_ADDR = "SECRETHUB_API_ADDR";
    /** Connections of this instance's PostgreSQL pool (default 20). */
    public static final String DB_POOL_SIZE = "SECRETHUB_DB_POOL_SIZE";
    /** The file audit device's file (JSON lines beside the database chain); default none. */
    public static final String AUDIT_FILE = "SECRETHUB_AUDIT_FILE";
    /** Connections between their accept and the answer to their first request; more wait (default 64). */
    public static final String MAX_HANDSHAKES = "SECRETHUB_MAX_HANDSHAKES";
    /** Calls the core runs at once, the rest queued first come first served (0: no limit). */
    public static final String MAX_CONCURRENT_REQUESTS = "SECRETHUB_MAX_CONCURRENT_REQUESTS";

    public static final String DEFAULT_ADDR = "127.0.0.1:8200";
    /** Vault's default {@code max_request_size}. */
    public static final long DEFAULT_MAX_REQUEST_BYTES = 32L * 1024 * 1024;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_DB_POOL_SIZE = 20;
    public static final int DEFAULT_MAX_HANDSHAKES = 64;
    /** The audit writer and the change feed hold one connection each; requests need at least one more. */
    public static final int MIN_DB_POOL_SIZE = 3;

    private final Map<String, String> values;

    private ServerSettings(Map<String, String> values) {
        this.values = values;
    }

    /** Settings from {@code environment}, overridden by {@code configFile} when one is given. */
    public static ServerSettings load(Map<String, String> environment, Path configFile) {
        Map<String, String> merged = new HashMap<>(environment);
        if (configFile != null) {
            Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
                file.load(reader);
            } catch (IOException | IllegalArgumentException e) {
                throw new SettingsException("--config", "cannot read " + configFile + ": " + e.getMessage());
            }
            file.stringPropertyNames().forEach(key -> merged.put(key, file.getProperty(key).strip()));
        }
        return new ServerSettings(merged);
    }

    /** Settings from a map only (tests). */
    public static ServerSettings of(Map<String, String> values) {
        return new ServerSettings(new HashMap<>(values));
    }

    private Optional<String> get(String key) {
        String value = values.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /** The JDBC URL: {@value #DB_URL}, else one built from libpq's variables. */
    public String jdbcUrl() {
        Optional<String> explicit = get(DB_URL);
        if (explicit.isPresent()) {
            if (!explicit.get().startsWith("jdbc:postgresql:")) {
                throw new SettingsException(DB_URL, "must start with jdbc:postgresql:");
            }
            return explicit.get();
        }
        String host = get("PGHOST").orElse("localhost");
        String port = get("PGPORT").orElse("5432");
        if (!port.matches("\\d{1,5}")) {
            throw new SettingsException("PGPORT", "not a port number");
        }
        String database = get("PGDATABASE").orElse(dbUser());
        return "jdbc:postgresql://" + host + ":" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    /** {@value #DB_USER}, else {@code PGUSER}, else the operating-system user (libpq's rule). */
    public String dbUser() {
        return get(DB_USER).or(() -> get("PGUSER")).orElse(System.getProperty("user.name"));
    }

    /** {@value #DB_PASSWORD}, else {@code PGPASSWORD}, else none. */
    public Optional<String> dbPassword() {
        return get(DB_PASSWORD).or(() -> get("PGPASSWORD"));
    }

    /** The setting the database came from, to name it when the database cannot be reached. */
    public String dbSettingName() {
        return get(DB_URL).isPresent() ? DB_URL : "PGHOST/PGPORT/PGDATABASE";
    }

    /** {@value #ADDR}: {@code host:port}, {@code [v6]:port}; port 0 picks a free one. */
    public ListenAddress address() {
        String text = get(ADDR).orElse(DEFAULT_ADDR);
        return ListenAddress.parse(ADDR, text);
    }

    /** The certificate chain and key PEM files, or empty for development TLS. */
    public Optional<Path[]> tlsFiles() {
        Optional<String> cert = get(TLS_CERT);
        Optional<String> key = get(TLS_KEY);
        if (cert.isPresent() != key.isPresent()) {
            throw new SettingsException(cert.isPresent() ? TLS_KEY : TLS_CERT,
                    "must be set together with " + (cert.isPresent() ? TLS_CERT : TLS_KEY));
        }
        return cert.map(c -> new Path[] {Path.of(c), Path.of(key.get())});
    }

    /** Where development TLS writes {@code ca.pem}; empty for a new temporary directory. */
    public Optional<Path> tlsDir() {
        return get(TLS_DIR).map(Path::of);
    }

    /** The file audit device's file (one per instance); empty for the database audit chain alone (the default). */
    public Optional<Path> auditFile() {
        return get(AUDIT_FILE).map(Path::of);
    }

    public long maxRequestBytes() {
        return atLeast(MAX_REQUEST_SIZE, 1024, "bytes").orElse(DEFAULT_MAX_REQUEST_BYTES);
    }

    public Duration idleTimeout() {
        return atLeast(IDLE_TIMEOUT, 1, "seconds").map(Duration::ofSeconds).orElse(DEFAULT_IDLE_TIMEOUT);
    }

    /** {@value #MAX_HANDSHAKES}: 1 or more; default {@value #DEFAULT_MAX_HANDSHAKES}. */
    public int maxHandshakes() {
        return atLeast(MAX_HANDSHAKES, 1, "connections").map(v -> (int) Math.min(v, Integer.MAX_VALUE))
                .orElse(DEFAULT_MAX_HANDSHAKES);
    }

    /**
     * {@value #MAX_CONCURRENT_REQUESTS}: 0 (no limit) or more; default the core's for this server's pool,
     * {@link io.secrethub.core.SecretHubBuilder#defaultMaxConcurrentRequests(int)} of {@link #dbPoolSize()} (30 for
     * the default 20 connections).
     */
    public int maxConcurrentRequests() {
        return atLeast(MAX_CONCURRENT_REQUESTS, 0, "calls").map(v -> (int) Math.min(v, Integer.MAX_VALUE))
                .orElseGet(() -> io.secrethub.core.SecretHubBuilder.defaultMaxConcurrentRequests(dbPoolSize()));
    }

    /** {@value #DRAIN_TIMEOUT}: 0 or more whole seconds; default 10. */
    public Duration drainTimeout() {
        return atLeast(DRAIN_TIMEOUT, 0, "seconds").map(Duration::ofSeconds).orElse(SecretHubServer.DRAIN_TIMEOUT);
    }

    /** {@value #DRAIN_DELAY}: 0 or more whole seconds; default 0. */
    public Duration drainDelay() {
        return atLeast(DRAIN_DELAY, 0, "seconds").map(Duration::ofSeconds).orElse(Duration.ZERO);
    }

    /** {@value #API_ADDR}: an {@code https://} URL without spaces, if set. */
    public Optional<String> apiAddress() {
        return get(API_ADDR).map(text -> {
            if (!text.matches("https://[\\x21-\\x7e]{1,500}")) {
                throw new SettingsException(API_ADDR, "must be an https:// URL (printable, no spaces)");
            }
            return text;
        });
    }

    /** {@value #DB_POOL_SIZE}: at least {@value #MIN_DB_POOL_SIZE}; default {@value #DEFAULT_DB_POOL_SIZE}. */
    public int dbPoolSize() {
        return atLeast(DB_POOL_SIZE, MIN_DB_POOL_SIZE, "connections").map(Long::intValue)
                .orElse(DEFAULT_DB_POOL_SIZE);
    }

    /** A whole number of {@code unit} of at least {@code minimum}, if set. */
    private Optional<Long> atLeast(String key, long minimum, String unit) {
        return get(key).map(text -> {
            long value;
            try {
                value = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new SettingsException(key, "not a whole number of " + unit);
            }
            if (value < minimum) {
                throw new SettingsException(key, "must be at least " + minimum + " " + unit);
            }
            return value;
        });
    }
}
