package io.secrethub.core.testing;

import io.secrethub.perf.db.PostgresExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * PostgreSQL roles are cluster-wide, so a test that makes the database engine create users must drop
 * them even when it fails. This gives a test class a random prefix for its SecretHub role names
 * ({@link #role}), hence for every user name the engine generates ({@code v_<prefix>…}), and drops
 * every such user after each test and after the class.
 *
 * <p>It also makes an admin user for the engine's connection config ({@link #adminUser()}): a superuser
 * with a random password, so the test works on a server that checks passwords (CI) as well as on one
 * that trusts local logins, and so that password is a value no other column can hold by chance.
 *
 * <p>It works on the test class's database (perf-junit's {@code @PostgresDatabase}). Register it before an
 * {@link UnsealedHubExtension}, so that the hub has stopped using those users when they are dropped:
 *
 * <pre>{@code
 * @RegisterExtension @Order(1) static final PgRoles ROLES = new PgRoles();
 * @RegisterExtension @Order(2) static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(...);
 * }</pre>
 */
public final class PgRoles implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private final String prefix;
    private volatile DataSource database;
    private String adminPassword;

    public PgRoles() {
        this.prefix = "t" + random(6).toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        database = PostgresExtension.dataSource(context);
    }

    private static String random(int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return out.toString();
    }

    /** A SecretHub role name unique to this test class, e.g. {@code t3k9x2aro}. Keep {@code suffix} short. */
    public String role(String suffix) {
        return prefix + suffix;
    }

    /** The admin user for connection configs, created on first use and dropped after the class. */
    public synchronized String adminUser() throws SQLException {
        if (adminPassword == null) {
            String password = random(24);
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("CREATE ROLE " + adminName() + " LOGIN SUPERUSER PASSWORD '" + password + "'");
            }
            adminPassword = password;
        }
        return adminName();
    }

    /** The admin user's password (random letters and digits). */
    public synchronized String adminPassword() throws SQLException {
        adminUser();
        return adminPassword;
    }

    private String adminName() {
        return "a_" + prefix;
    }

    /** The user name prefix of the engine's users for this class's roles. */
    public String userPrefix() {
        return "v_" + prefix;
    }

    /** The users of this class that exist on the server now. */
    public List<String> existing() throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT rolname FROM pg_roles WHERE starts_with(rolname, ?) ORDER BY rolname")) {
            ps.setString(1, userPrefix());
            try (ResultSet rs = ps.executeQuery()) {
                List<String> names = new ArrayList<>();
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
                return names;
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws SQLException {
        dropAll();
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        dropAll();
        if (adminPassword != null) {
            drop(adminName());
            adminPassword = null;
        }
    }

    private void dropAll() throws SQLException {
        List<String> names = existing();
        if (names.isEmpty()) {
            return;
        }
        for (String name : names) {
            drop(name);
        }
    }

    private Connection connect() throws SQLException {
        if (database == null) {
            throw new IllegalStateException("PgRoles has no database before its beforeAll: register it with"
                    + " @RegisterExtension on a static field");
        }
        return database.getConnection();
    }

    private void drop(String name) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            String quoted = '"' + name.replace("\"", "\"\"") + '"';
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '"
                    + name.replace("'", "''") + "'");
            s.execute("DROP OWNED BY " + quoted); // its grants in the test database
            s.execute("DROP ROLE IF EXISTS " + quoted);
        }
    }
}
