package io.secrethub.perftests;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * What autovacuum would do, for a PostgreSQL server that has it off (this project's CI server sets
 * {@code autovacuum = off}). Every KV write prunes a version beyond {@code max_versions}, so a long run leaves
 * hundreds of thousands of dead {@code secret_versions} rows that nothing reclaims: in a 10-minute soak at 1,000
 * agents that halved the throughput and raised p99 by 30%, a finding about the server's set-up, not SecretHub's.
 *
 * <p>Once per naptime (autovacuum's default is a minute) it vacuums each table of the database that autovacuum's
 * own default rule would pick: dead rows above 50 + 20% of the live ones, or rows inserted since the last vacuum
 * above 1,000 + 20% ({@code autovacuum_vacuum_threshold}, {@code _scale_factor}, {@code _insert_threshold},
 * {@code _insert_scale_factor}). Concurrently with the load, as autovacuum runs. When the server runs autovacuum
 * itself, {@link #startIfOff} returns null and nothing is done.
 */
final class AutovacuumStandIn implements AutoCloseable {

    private static final String DUE = "SELECT relname FROM pg_stat_user_tables"
            + " WHERE n_dead_tup > 50 + 0.2 * n_live_tup OR n_ins_since_vacuum > 1000 + 0.2 * n_live_tup"
            + " ORDER BY relname";

    private final DataSource dataSource;
    private final Thread thread;
    private final AtomicInteger vacuums = new AtomicInteger();
    private volatile boolean stopped;

    private AutovacuumStandIn(DataSource dataSource, Duration naptime) {
        this.dataSource = dataSource;
        this.thread = new Thread(() -> run(naptime), "autovacuum-stand-in");
        thread.setDaemon(true);
    }

    /** Starts the stand-in when the server's {@code autovacuum} setting is off; null when it is on. */
    static AutovacuumStandIn startIfOff(DataSource dataSource, Duration naptime) {
        if (autovacuumOn(dataSource)) {
            return null;
        }
        AutovacuumStandIn standIn = new AutovacuumStandIn(dataSource, naptime);
        standIn.thread.start();
        return standIn;
    }

    /** A stand-in whose caller runs {@link #vacuumDue} itself (tests). */
    static AutovacuumStandIn unstarted(DataSource dataSource) {
        return new AutovacuumStandIn(dataSource, Duration.ZERO);
    }

    static boolean autovacuumOn(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_setting('autovacuum')")) {
            rs.next();
            return "on".equals(rs.getString(1));
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the server's autovacuum setting: " + e.getMessage(), e);
        }
    }

    /** Vacuums every table that is due now; returns their names. */
    List<String> vacuumDue() throws SQLException {
        List<String> due = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true); // VACUUM cannot run inside a transaction block
            try (ResultSet rs = s.executeQuery(DUE)) {
                while (rs.next()) {
                    due.add(rs.getString(1));
                }
            }
            for (String table : due) {
                s.execute("VACUUM (ANALYZE) \"" + table.replace("\"", "\"\"") + "\"");
                vacuums.incrementAndGet();
            }
        }
        return due;
    }

    /** Tables vacuumed so far, counting each time. */
    int vacuums() {
        return vacuums.get();
    }

    private void run(Duration naptime) {
        while (!stopped) {
            try {
                Thread.sleep(naptime.toMillis());
                vacuumDue();
            } catch (InterruptedException e) {
                return;
            } catch (SQLException e) {
                if (!stopped) {
                    System.out.println("[autovacuum stand-in] a vacuum failed: " + e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(Duration.ofMinutes(1).toMillis());
    }
}
