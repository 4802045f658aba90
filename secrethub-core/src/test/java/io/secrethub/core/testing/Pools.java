package io.secrethub.core.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Further connection pools on a test class's database (the one perf-junit's {@code @PostgresDatabase} made), the
 * way a second SecretHub process would connect. The caller closes what it opens; {@link HubFixture} closes the
 * pools it opens itself.
 */
public final class Pools {

    private static final AtomicInteger OPENED = new AtomicInteger();

    private Pools() {
    }

    /**
     * A new pool of {@code size} connections to the same database as {@code classPool}, which must be a HikariCP
     * pool (as {@code @PostgresDatabase} hands out): its settings are copied, so credentials never pass through here.
     */
    public static HikariDataSource another(DataSource classPool, int size) {
        return open(classPool, size, null);
    }

    /**
     * A new pool whose connections work in schema {@code schema} of {@code classPool}'s database, created here:
     * a separate SecretHub store (its own initialization) without a second database.
     */
    public static HikariDataSource inOwnSchema(DataSource classPool, String schema, int size) throws SQLException {
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("schema must be a plain lower-case identifier, not " + schema);
        }
        try (Connection c = classPool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return open(classPool, size, "SET search_path TO " + schema);
    }

    /**
     * The JDBC URL of {@code dataSource}'s database without credentials or driver settings (with
     * {@code currentSchema} when it works outside {@code public}), e.g. for a database secrets engine config.
     */
    public static String jdbcUrl(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_schema()")) {
            String url = c.getMetaData().getURL();
            int query = url.indexOf('?');
            String bare = query < 0 ? url : url.substring(0, query);
            rs.next();
            String schema = rs.getString(1);
            return schema == null || schema.equals("public") ? bare : bare + "?currentSchema=" + schema;
        }
    }

    private static HikariDataSource open(DataSource classPool, int size, String initSql) {
        if (!(classPool instanceof HikariDataSource hikari)) {
            throw new IllegalArgumentException("expected the HikariCP pool of @PostgresDatabase, got " + classPool);
        }
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be positive, was " + size);
        }
        HikariConfig config = new HikariConfig();
        hikari.copyStateTo(config);
        config.setMaximumPoolSize(size);
        config.setPoolName(hikari.getPoolName() + "-" + OPENED.incrementAndGet());
        if (initSql != null) {
            config.setConnectionInitSql(initSql);
        }
        return new HikariDataSource(config);
    }
}
