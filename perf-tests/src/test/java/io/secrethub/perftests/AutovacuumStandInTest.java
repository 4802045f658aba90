package io.secrethub.perftests;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.db.PostgresDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The stand-in picks the tables autovacuum's default rule would pick, and vacuuming them reclaims their dead rows. */
@PostgresDatabase
class AutovacuumStandInTest {

    @Test
    void aTableWithMoreDeadRowsThanTheThresholdIsVacuumedAndAQuietOneIsNot(DataSource dataSource) throws Exception {
        sql(dataSource, "CREATE TABLE churned (id int PRIMARY KEY, v text)",
                "CREATE TABLE quiet (id int PRIMARY KEY)",
                "INSERT INTO churned SELECT g, 'x' FROM generate_series(1, 1000) g",
                "INSERT INTO quiet SELECT g FROM generate_series(1, 10) g");
        // Stand-in set-up: the two tables' inserts are counted, then vacuumed, so only what follows decides.
        sql(dataSource, "VACUUM churned", "VACUUM quiet");
        sql(dataSource, "DELETE FROM churned WHERE id <= 600"); // 600 dead of 1,000: over 50 + 20% of 400 live

        AutovacuumStandIn standIn = AutovacuumStandIn.unstarted(dataSource);
        waitForStatistics(dataSource, "churned", 600);
        List<String> vacuumed = standIn.vacuumDue();

        assertThat(vacuumed).contains("churned").doesNotContain("quiet");
        assertThat(standIn.vacuums()).isEqualTo(vacuumed.size());
        waitForStatistics(dataSource, "churned", 0);
    }

    @Test
    void startIfOffFollowsTheServersSetting(DataSource dataSource) throws Exception {
        AutovacuumStandIn standIn = AutovacuumStandIn.startIfOff(dataSource, Duration.ofHours(1));
        try {
            assertThat(standIn == null).as("no stand-in exactly when the server runs autovacuum")
                    .isEqualTo(AutovacuumStandIn.autovacuumOn(dataSource));
        } finally {
            if (standIn != null) {
                standIn.close();
            }
        }
    }

    /** PostgreSQL publishes a backend's table counts at most once a second, after its transaction. */
    private static void waitForStatistics(DataSource dataSource, String table, long deadRows) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long seen = -1;
        while (System.nanoTime() < deadline) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = '"
                            + table + "'")) {
                seen = rs.next() ? rs.getLong(1) : -1;
            }
            if (seen == deadRows) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(table + ": n_dead_tup " + seen + ", expected " + deadRows);
    }

    private static void sql(DataSource dataSource, String... statements) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
