package io.secrethub.perf.db;

import static io.secrethub.perf.db.DbEnvironment.envName;

import io.secrethub.perf.db.DbEnvironment.Probe;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.postgresql.Driver;

/**
 * Decides which PostgreSQL server the tests use: an explicit URL, else a Testcontainers container when
 * Docker is available, else a local server found through the libpq environment variables. A pure
 * function of its {@link DbEnvironment}; it asks for Docker and connections only as far as it must.
 */
final class ServerChoice {

    /** The pinned Testcontainers image: the same server on every machine, upgraded on purpose. */
    static final String CONTAINER_IMAGE = "postgres:17.2-alpine";

    enum Source { EXPLICIT_URL, TESTCONTAINERS, LOCAL_SERVER }

    /**
     * The decision and the sentence to log. {@code server} is null for {@code TESTCONTAINERS}: the caller
     * starts the container.
     */
    record Decision(Source source, Server server, String description) {
    }

    private ServerChoice() {
    }

    /** @throws IllegalStateException naming every way to provide a server and what was tried */
    static Decision choose(DbEnvironment env) {
        Optional<String> url = env.setting(PostgresExtension.URL);
        if (url.isPresent()) {
            return explicitUrl(env, url.get());
        }
        List<String> tried = new ArrayList<>();
        tried.add("explicit URL: neither " + PostgresExtension.URL + " nor "
                + envName(PostgresExtension.URL) + " is set");

        Probe docker = env.docker();
        if (docker.isOk()) {
            return new Decision(Source.TESTCONTAINERS, null,
                    "Testcontainers " + CONTAINER_IMAGE + " (no explicit URL; Docker is available)");
        }
        tried.add("Testcontainers " + CONTAINER_IMAGE + ": " + docker.detail());

        return localServer(env, tried);
    }

    private static Decision explicitUrl(DbEnvironment env, String url) {
        String from = PostgresExtension.URL + " / " + envName(PostgresExtension.URL);
        if (Driver.parseURL(url, null) == null) {
            throw new IllegalStateException(from + " is not a PostgreSQL JDBC URL: " + Server.redact(url)
                    + " (expected jdbc:postgresql://host:port/database)");
        }
        Server server = new Server(url, env.setting(PostgresExtension.USER).orElse(null),
                env.setting(PostgresExtension.PASSWORD).orElse(null));
        return new Decision(Source.EXPLICIT_URL, server, "explicit URL from " + from + ": " + server);
    }

    /** libpq's defaults: localhost, 5432, the OS user, a database named like the user (then {@code postgres}). */
    private static Decision localServer(DbEnvironment env, List<String> tried) {
        String host = env.setting("PGHOST")
                .filter(h -> !h.startsWith("/")) // a Unix socket directory; the JDBC driver speaks TCP only
                .orElse("localhost");
        String port = env.setting("PGPORT").orElse("5432");
        String user = env.setting("PGUSER").orElse(env.osUser());
        String password = env.setting("PGPASSWORD").orElse(null);
        if (!port.matches("\\d{1,5}")) {
            tried.add("local server: PGPORT=" + port + " is not a port number");
            throw noServer(tried);
        }
        Optional<String> database = env.setting("PGDATABASE");
        Set<String> databases = new LinkedHashSet<>(database.map(List::of).orElse(List.of(user, "postgres")));

        for (String name : databases) {
            Server server = new Server(jdbcUrl(host, port, name), user, password);
            Probe probe = env.connect(server);
            if (probe.isOk()) {
                return new Decision(Source.LOCAL_SERVER, server,
                        "local server from PGHOST/PGPORT/PGUSER/PGDATABASE (or their defaults): " + server);
            }
            tried.add("local server " + server + ": " + probe.detail());
            if (probe.status() != Probe.Status.NO_SUCH_DATABASE) {
                break;
            }
        }
        throw noServer(tried);
    }

    private static String jdbcUrl(String host, String port, String database) {
        String urlHost = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + urlHost + ":" + port + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    private static IllegalStateException noServer(List<String> tried) {
        StringBuilder message = new StringBuilder("No PostgreSQL server for the tests. Tried, in order:");
        for (int i = 0; i < tried.size(); i++) {
            message.append("\n  ").append(i + 1).append(". ").append(tried.get(i));
        }
        message.append("\nProvide one of:")
                .append("\n  - an explicit JDBC URL: -D").append(PostgresExtension.URL)
                .append("=jdbc:postgresql://host:5432/postgres (or ").append(envName(PostgresExtension.URL))
                .append("), with ").append(PostgresExtension.USER).append(" / ")
                .append(envName(PostgresExtension.USER)).append(" and ").append(PostgresExtension.PASSWORD)
                .append(" / ").append(envName(PostgresExtension.PASSWORD)).append(";")
                .append("\n  - Docker, with org.testcontainers:testcontainers-postgresql on the test classpath,"
                        + " for a throwaway ").append(CONTAINER_IMAGE).append(" container;")
                .append("\n  - a running PostgreSQL server described by PGHOST, PGPORT, PGUSER, PGPASSWORD,"
                        + " PGDATABASE (defaults: localhost, 5432, the OS user, a database named like the user,"
                        + " then postgres).");
        return new IllegalStateException(message.toString());
    }
}
