package io.secrethub.perf.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A database of our own on a server, with a HikariCP pool on it; {@link #close()} closes the pool and
 * drops the database. Without the CREATEDB privilege it falls back to a schema of our own in the
 * server's database. It never touches anything it did not create.
 */
final class FreshDatabase implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(FreshDatabase.class.getName());
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final Server server;
    private final String name;
    private final boolean schema;
    private final boolean keep;
    private final HikariDataSource pool;

    private FreshDatabase(Server server, String name, boolean schema, boolean keep, HikariDataSource pool) {
        this.server = server;
        this.name = name;
        this.schema = schema;
        this.keep = keep;
        this.pool = pool;
    }

    /**
     * Creates the database (or schema) on {@code server} and opens a pool of {@code poolSize} on it whose callers
     * wait at most {@code poolTimeout} for a connection.
     *
     * @param countQueries whether connections count their statements (only a class with a query budget pays for it)
     */
    static FreshDatabase create(Server server, int poolSize, Duration poolTimeout, boolean keep, boolean countQueries) {
        String name = uniqueName();
        boolean schema = createDatabaseOrSchema(server, name);

        PGSimpleDataSource target = countQueries ? server.countingDataSource() : server.dataSource();
        if (schema) {
            target.setCurrentSchema(name);
        } else {
            target.setDatabaseName(name);
        }
        HikariConfig config = new HikariConfig();
        config.setDataSource(target);
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(poolTimeout.toMillis());
        config.setPoolName("perf-db-" + name);
        try {
            FreshDatabase database = new FreshDatabase(server, name, schema, keep, new HikariDataSource(config));
            LOG.log(Level.DEBUG, "Created {0} on {1}", database.describe(), server);
            return database;
        } catch (RuntimeException e) {
            IllegalStateException failure = new IllegalStateException("Could not open a connection pool on "
                    + describe(name, schema) + " at " + server + ": " + e.getMessage(), e);
            try {
                drop(server, name, schema);
            } catch (RuntimeException dropFailure) {
                failure.addSuppressed(dropFailure);
            }
            throw failure;
        }
    }

    DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
        if (keep) {
            LOG.log(Level.INFO, "Kept {0} on {1} for inspection ({2}=true); drop it when done",
                    describe(), server, PostgresExtension.KEEP);
        } else {
            drop(server, name, schema);
        }
    }

    /** {@code perf_<timestamp>_<random>}: sortable, unique, and needs no quoting. */
    static String uniqueName() {
        return "perf_" + LocalDateTime.now().format(TIMESTAMP)
                + "_" + String.format("%08x", ThreadLocalRandom.current().nextInt());
    }

    /** @return true if it had to create a schema instead of a database */
    private static boolean createDatabaseOrSchema(Server server, String name) {
        try (Connection connection = server.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            try {
                statement.execute("CREATE DATABASE " + name);
                return false;
            } catch (SQLException e) {
                if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                    throw e;
                }
                statement.execute("CREATE SCHEMA " + name);
                return true;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create a test database (or schema) " + name
                    + " on " + server + ": " + e.getMessage(), e);
        }
    }

    private static void drop(Server server, String name, boolean schema) {
        try (Connection connection = server.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(schema
                    ? "DROP SCHEMA IF EXISTS " + name + " CASCADE"
                    : "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop test " + describe(name, schema)
                    + " on " + server + ": " + e.getMessage(), e);
        }
    }

    private String describe() {
        return describe(name, schema);
    }

    private static String describe(String name, boolean schema) {
        return (schema ? "schema " : "database ") + name;
    }
}
