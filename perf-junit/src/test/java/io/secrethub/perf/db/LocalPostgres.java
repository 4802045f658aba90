package io.secrethub.perf.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import javax.sql.DataSource;
import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;

/** The real local server the tests check against, found the way the extension finds it (minus Docker). */
final class LocalPostgres {

    static final Server SERVER = ServerChoice.choose(FakeEnvironment.realWithoutDocker()).server();

    private LocalPostgres() {
    }

    /** A URL for {@code database} on the same server. */
    static String url(String database) {
        Properties parsed = Driver.parseURL(SERVER.url(), null);
        return "jdbc:postgresql://" + parsed.getProperty("PGHOST") + ":" + parsed.getProperty("PGPORT") + "/"
                + database;
    }

    static Connection connect(String database) throws SQLException {
        PGSimpleDataSource dataSource = SERVER.dataSource();
        dataSource.setDatabaseName(database);
        return dataSource.getConnection();
    }

    static void execute(String database, String sql) throws SQLException {
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static boolean databaseExists(String name) throws SQLException {
        return exists(connect("postgres"), "select 1 from pg_database where datname = ?", name);
    }

    static boolean schemaExists(String database, String name) throws SQLException {
        return exists(connect(database), "select 1 from pg_namespace where nspname = ?", name);
    }

    static String query(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }

    private static boolean exists(Connection connection, String sql, String name) throws SQLException {
        try (connection; PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, name);
            try (ResultSet result = statement.executeQuery()) {
                return result.next();
            }
        }
    }
}
