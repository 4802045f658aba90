package io.secrethub.core.storage;

import io.secrethub.core.StorageException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema up to date with the migrations in {@value #LOCATION}. Safe to run from several
 * instances at once: Flyway holds a PostgreSQL advisory lock while it migrates, so the second instance
 * waits and then finds nothing left to do.
 *
 * <p>New tables (AppRole, agents, policies, leases) come as new {@code V<n>__…sql} files; applied
 * migrations are never edited.
 */
public final class Migrations {

    /**
     * Where the migrations are. Not Flyway's default {@code db/migration}: a directory whose name is no legal
     * package name is not encapsulated when the core runs as a named module, so Flyway can read the scripts on
     * the module path as on the class path; and an application's own {@code db/migration} never mixes in.
     */
    public static final String LOCATION = "META-INF/secrethub/migrations";

    /** Our own history table, so SecretHub can share a schema with an application that also uses Flyway. */
    public static final String HISTORY_TABLE = "secrethub_schema_history";

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    /**
     * Servers already warned about in this JVM (by {@link #server}), so many instances on one server warn once, also
     * when each has a database of its own (the perf suite's main job printed the warning 8 times).
     */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private Migrations() {
    }

    public static void apply(DataSource dataSource) {
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:" + LOCATION)
                    .table(HISTORY_TABLE)
                    .cleanDisabled(true)
                    .validateMigrationNaming(true)
                    .load()
                    .migrate();
            LOG.info("SecretHub schema at version {} ({} migrations applied now)",
                    result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                    result.migrationsExecuted);
        } catch (FlywayException e) {
            throw new StorageException("could not migrate the SecretHub schema: " + e.getMessage(), e);
        }
        warnIfAutovacuumOff(dataSource);
    }

    /**
     * Every KV write prunes the version beyond {@code max_versions} and every token or lease revocation deletes a
     * row, so SecretHub's tables depend on autovacuum. Without it (a 10-minute soak at 1,000 agents left 44 dead
     * {@code secret_versions} rows per live one) writes and reads slow down as the dead rows pile up. Logged once
     * per server per JVM; nothing is refused.
     *
     * @return whether the server has autovacuum off
     */
    static boolean warnIfAutovacuumOff(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_setting('autovacuum')")) {
            if (!rs.next() || "on".equals(rs.getString(1))) {
                return false;
            }
            if (WARNED.add(server(c.getMetaData().getURL()))) {
                LOG.warn("PostgreSQL's autovacuum is off on this server: every secret write leaves a pruned version"
                        + " behind that only VACUUM reclaims, so SecretHub slows down as they pile up."
                        + " Turn autovacuum on, or run VACUUM on SecretHub's tables regularly");
            }
            return true;
        } catch (SQLException e) {
            LOG.debug("could not read the server's autovacuum setting", e);
            return false;
        }
    }

    /**
     * The server a JDBC URL names, without the database and the parameters, as pgjdbc itself reads the URL
     * ({@link Driver#parseURL}): {@code jdbc:postgresql://h:5432/db?x=1} gives {@code h:5432}, several hosts give
     * their lists ({@code db1,db2:5432,5432}). A URL the driver cannot read is its own key.
     */
    static String server(String url) {
        Properties parsed = Driver.parseURL(url, null);
        return parsed == null ? url : parsed.getProperty("PGHOST") + ":" + parsed.getProperty("PGPORT");
    }
}
