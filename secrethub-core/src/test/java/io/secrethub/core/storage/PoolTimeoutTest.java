package io.secrethub.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.secrethub.core.StorageException;
import io.secrethub.perf.db.PostgresDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A caller that gets no pooled connection is told which pool, how big, and how long it waited: the driver's
 * "Connection is not available" names neither the setting to change nor whether the database was down.
 */
@PostgresDatabase
class PoolTimeoutTest {

    @Test
    void anExhaustedPoolNamesItselfItsSizeAndItsTimeout(DataSource classPool) throws Exception {
        HikariConfig config = new HikariConfig();
        ((HikariDataSource) classPool).copyStateTo(config);
        config.setPoolName("exhausted");
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(250); // read once when the pool starts
        try (HikariDataSource pool = new HikariDataSource(config)) {
            Database database = new Database(pool);
            try (Connection held = pool.getConnection()) {
                assertThatThrownBy(() -> database.autocommit("read secret metadata", c -> 1))
                        .isInstanceOf(StorageException.class)
                        .hasMessage("no database connection to read secret metadata: connection pool '"
                                + pool.getPoolName() + "' (1 connections) gave none within its connectionTimeout"
                                + " of 250 ms");
                assertThatThrownBy(() -> database.transaction("write a secret", c -> 1))
                        .isInstanceOf(StorageException.class)
                        .hasMessageContaining("'" + pool.getPoolName() + "'").hasMessageContaining("250 ms");
            }
            // Service resumes as soon as a connection is free again.
            Integer answer = database.autocommit("read secret metadata", c -> 1);
            assertThat(answer).isEqualTo(1);
        }
    }

    @Test
    void anUnreachableDatabaseIsToldApartFromAnExhaustedPool() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres");
        config.setUsername("postgres");
        config.setPoolName("nowhere");
        config.setMaximumPoolSize(2);
        config.setConnectionTimeout(250);
        config.setInitializationFailTimeout(-1); // start without a database, as a pool does when it is down
        try (HikariDataSource pool = new HikariDataSource(config)) {
            assertThatThrownBy(() -> new Database(pool).autocommit("read secret metadata", c -> 1))
                    .isInstanceOf(StorageException.class)
                    .hasMessageStartingWith("no database connection to read secret metadata: connection pool"
                            + " 'nowhere' (2 connections) gave none within its connectionTimeout of 250 ms; its last"
                            + " attempt to open one failed (SQLSTATE 08001)");
        }
    }
}
