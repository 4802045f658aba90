package io.secrethub.perftests;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * How SecretHub's database secrets engine reaches the suite's own test database as an admin: the server, database
 * and credentials of the class's pool, so the users it creates live where the test can see (and drop) them.
 * PostgreSQL users are cluster-wide: {@link #dropUsers} is the safety net that removes whatever a suite created.
 *
 * @param url a JDBC URL without credentials
 * @param user the pool's user
 * @param password the pool's password, or a placeholder when the server trusts the connection
 */
record AdminAccess(String url, String user, String password) {

    static AdminAccess of(DataSource dataSource) throws SQLException {
        PGSimpleDataSource pg = dataSource.unwrap(PGSimpleDataSource.class);
        int port = pg.getPortNumbers().length == 0 || pg.getPortNumbers()[0] == 0 ? 5432 : pg.getPortNumbers()[0];
        String host = pg.getServerNames().length == 0 ? "localhost" : pg.getServerNames()[0];
        // The suite's own TLS choice, said explicitly: a config without sslmode means verify-full.
        String sslMode = pg.getSslMode() == null ? "prefer" : pg.getSslMode();
        String url = "jdbc:postgresql://" + host + ":" + port + "/" + pg.getDatabaseName() + "?sslmode=" + sslMode
                + (pg.getCurrentSchema() == null ? "" : "&currentSchema=" + pg.getCurrentSchema());
        String user = pg.getUser() != null ? pg.getUser() : System.getProperty("user.name");
        String password = pg.getPassword() == null || pg.getPassword().isEmpty() ? "unused-by-trust-auth"
                : pg.getPassword();
        return new AdminAccess(url, user, password);
    }

    /** Terminates the sessions of, revokes the grants of and drops every user whose name starts with {@code prefix}. */
    static int dropUsers(DataSource dataSource, String prefix) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            List<String> names = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT rolname FROM pg_roles WHERE starts_with(rolname, "
                    + "?)")) {
                ps.setString(1, prefix);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                for (String name : names) {
                    String quoted = '"' + name.replace("\"", "\"\"") + '"';
                    s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '"
                            + name.replace("'", "''") + "'");
                    s.execute("DROP OWNED BY " + quoted);
                    s.execute("DROP ROLE IF EXISTS " + quoted);
                }
            }
            return names.size();
        }
    }
}
