package io.secrethub.perf.db;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The run's one Testcontainers PostgreSQL. The only class that names Testcontainers types, so it is
 * loaded only after {@link SystemDbEnvironment#docker()} found them on the classpath.
 */
final class PostgresContainer implements AutoCloseable {

    private final PostgreSQLContainer container;

    private PostgresContainer(PostgreSQLContainer container) {
        this.container = container;
    }

    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    static PostgresContainer start(String image) {
        PostgreSQLContainer container = new PostgreSQLContainer(DockerImageName.parse(image));
        container.start();
        return new PostgresContainer(container);
    }

    Server server() {
        return new Server(container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }

    @Override
    public void close() {
        container.stop();
    }
}
