package io.secrethub.core.storage;

import io.secrethub.core.StorageException;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database behind SecretHub: runs work on a pooled connection, in autocommit or in one
 * transaction, and turns {@link SQLException}s into {@link StorageException}s.
 *
 * <p>Statements are prepared with the same SQL text every time, so the PostgreSQL driver's
 * per-connection statement cache turns them into server-side prepared statements.
 */
public final class Database {

    /** SQLSTATE of a unique or primary key violation. */
    public static final String UNIQUE_VIOLATION = "23505";

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final DataSource dataSource;

    public Database(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Work on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in autocommit mode: each statement is its own transaction. */
    public <T> T autocommit(String what, Work<T> work) {
        try (Connection connection = connect(what)) {
            return work.run(connection);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /**
     * Runs {@code work} in one READ COMMITTED transaction, committed when it returns normally and
     * rolled back when it throws (the exception propagates, SQL errors as {@link StorageException}).
     */
    public <T> T transaction(String what, Work<T> work) {
        try (Connection connection = connect(what)) {
            connection.setAutoCommit(false);
            T result;
            try {
                result = work.run(connection);
            } catch (SQLException | RuntimeException | Error e) {
                rollback(connection, e);
                throw e;
            }
            connection.commit();
            return result;
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /**
     * A pooled connection for {@code what}. When the pool has none to give, the {@link StorageException} names the
     * pool, its size and how long the caller waited (HikariCP's {@code connectionTimeout}), so an operator can tell
     * an exhausted or unreachable pool from a failed statement, and says whether its last attempt to connect failed.
     */
    public Connection connect(String what) {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw noConnection(dataSource, what, e);
        }
    }

    /** The failure to get a connection from {@code dataSource}; the driver's message stays in the cause only. */
    static StorageException noConnection(DataSource dataSource, String what, SQLException e) {
        if (!(dataSource instanceof HikariDataSource pool)) {
            return new StorageException("no database connection to " + what + " (SQLSTATE " + e.getSQLState() + ")",
                    e);
        }
        String reason = e.getCause() instanceof SQLException cause
                ? "; its last attempt to open one failed (SQLSTATE " + cause.getSQLState() + ")"
                : e.getCause() != null ? "; its last attempt to open one failed" : "";
        return new StorageException("no database connection to " + what + ": connection pool '" + pool.getPoolName()
                + "' (" + pool.getMaximumPoolSize() + " connections) gave none within its connectionTimeout of "
                + pool.getConnectionTimeout() + " ms" + reason, e);
    }

    /** A {@link StorageException} for a failed {@code what}; the driver's message stays in the cause only. */
    public static StorageException failure(String what, SQLException e) {
        return new StorageException("storage failure while trying to " + what + " (SQLSTATE " + e.getSQLState() + ")",
                e);
    }

    private static void rollback(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
            LOG.debug("rollback failed", e);
        }
    }
}
