package io.secrethub.core.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh, uniquely named PostgreSQL database per test class, dropped afterwards
 * ({@code DROP DATABASE … WITH (FORCE)}), so tests never see each other's data nor a developer's.
 *
 * <pre>{@code @RegisterExtension static final TestDatabase DB = new TestDatabase();}</pre>
 *
 * The server is found through the libpq variables {@code PGHOST}, {@code PGPORT}, {@code PGUSER},
 * {@code PGPASSWORD} (defaults 127.0.0.1:5432, user {@code postgres}). The user needs CREATEDB.
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final int poolSize;
    private final List<HikariDataSource> pools = new ArrayList<>();
    private String name;
    private HikariDataSource pool;

    public TestDatabase() {
        this(16);
    }

    public TestDatabase(int poolSize) {
        this.poolSize = poolSize;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        name = "secrethub_test_" + LocalDateTime.now().format(STAMP) + "_"
                + String.format("%08x", ThreadLocalRandom.current().nextInt());
        try (Connection c = server("postgres").getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        pool = newPool(poolSize);
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        pools.forEach(HikariDataSource::close);
        pools.clear();
        try (Connection c = server("postgres").getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    /** The shared pool of this test class. */
    public DataSource dataSource() {
        return pool;
    }

    /** Another pool on the same database, as a second process would have; closed after the class. */
    public HikariDataSource newPool(int size) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(server(name));
        config.setMaximumPoolSize(size);
        config.setPoolName(name + "-" + (pools.size() + 1));
        HikariDataSource ds = new HikariDataSource(config);
        pools.add(ds);
        return ds;
    }

    /** A plain connection to the test database, for inspecting and tampering behind SecretHub's back. */
    public Connection connect() throws SQLException {
        return server(name).getConnection();
    }

    public String name() {
        return name;
    }

    /** The test database's JDBC URL (no credentials), e.g. for a database secrets engine config. */
    public String jdbcUrl() {
        String host = env("PGHOST", "127.0.0.1");
        return "jdbc:postgresql://" + (host.startsWith("/") ? "127.0.0.1" : host) + ":" + env("PGPORT", "5432") + "/" + name;
    }

    /** The user tests connect as (a superuser on a developer's server, with CREATEDB and CREATEROLE). */
    public String user() {
        return env("PGUSER", "postgres");
    }

    /** That user's password, or a placeholder when the server does not ask for one (trust). */
    public String password() {
        String password = System.getenv("PGPASSWORD");
        return password == null || password.isEmpty() ? "unused-by-trust-auth" : password;
    }

    /**
     * A data source for {@code database} on the server the libpq variables name ({@code PGHOST}, {@code PGPORT},
     * {@code PGUSER}, {@code PGPASSWORD}; default 127.0.0.1:5432 as postgres): the one place tests and
     * benchmarks read them.
     */
    public static PGSimpleDataSource server(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        String host = env("PGHOST", "127.0.0.1");
        // libpq allows a socket directory here; JDBC speaks TCP only, so use the local server's port.
        ds.setServerNames(new String[] {host.startsWith("/") ? "127.0.0.1" : host});
        ds.setPortNumbers(new int[] {Integer.parseInt(env("PGPORT", "5432"))});
        ds.setUser(env("PGUSER", "postgres"));
        String password = System.getenv("PGPASSWORD");
        if (password != null) {
            ds.setPassword(password);
        }
        ds.setDatabaseName(database);
        return ds;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
