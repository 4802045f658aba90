package io.secrethub.perf.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.Agent;
import io.secrethub.perf.LoadTest;
import io.secrethub.perf.MaxQueriesPerOp;
import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.testkit.FixtureResults;
import io.secrethub.perf.testkit.FixtureRun;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code @MaxQueriesPerOp}: statements counted through {@code @PostgresDatabase}'s pool, on the real server. */
class QueryBudgetTest {

    @Test
    void threeStatementsPerCallBreachABudgetOfTwoWithTheMeasuredFigure() {
        FixtureResults results = FixtureRun.of(ThreeQueries.class).execute();

        SloOutcome tight = results.result("overBudget").slos().get(0);
        assertThat(tight.metric()).isEqualTo("queries per op");
        assertThat(tight.measured()).as("set-up statements of @BeforeAll are not counted")
                .isEqualTo("3 (120 statements in 40 invocations)");
        SloOutcome enough = results.result("withinBudget").slos().get(0);
        assertThat(enough.passed()).as(enough.measured()).isTrue();
        assertThat(results.failureMessages()).containsExactly(
                "overBudget: queries per op 3 (120 statements in 40 invocations) > 2 (@MaxQueriesPerOp)");
    }

    @Test
    void aNegativeBudgetFailsBeforeAnyLoadRuns() {
        int before = ThreeQueries.CALLS.get();
        FixtureResults results = FixtureRun.of(Negative.class).execute();

        assertThat(results.failureMessages()).containsExactly("Invalid @MaxQueriesPerOp(-1) on"
                + " QueryBudgetTest.Negative.negative(): expected a number of at least 0");
        assertThat(ThreeQueries.CALLS.get()).isEqualTo(before);
    }

    @PostgresDatabase
    static class ThreeQueries {
        static final AtomicInteger CALLS = new AtomicInteger();
        private static DataSource db;

        @BeforeAll
        static void createTable(DataSource dataSource) throws SQLException {
            db = dataSource;
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS counter (agent int PRIMARY KEY, n bigint NOT NULL)");
                s.execute("INSERT INTO counter SELECT g, 0 FROM generate_series(0, 1) g ON CONFLICT DO NOTHING");
            }
        }

        @LoadTest(agents = 2, iterations = 20)
        @MaxQueriesPerOp(2)
        void overBudget(Agent agent) throws SQLException {
            threeQueries(agent);
        }

        @LoadTest(agents = 2, iterations = 20)
        @MaxQueriesPerOp(3)
        void withinBudget(Agent agent) throws SQLException {
            threeQueries(agent);
        }

        private static void threeQueries(Agent agent) throws SQLException {
            CALLS.incrementAndGet();
            try (Connection c = db.getConnection()) {
                try (PreparedStatement read = c.prepareStatement("SELECT n FROM counter WHERE agent = ?")) {
                    read.setInt(1, agent.id());
                    try (ResultSet rs = read.executeQuery()) {
                        rs.next();
                    }
                }
                try (PreparedStatement update = c.prepareStatement("UPDATE counter SET n = n + 1 WHERE agent = ?")) {
                    update.setInt(1, agent.id());
                    update.executeUpdate();
                }
                try (Statement statement = c.createStatement()) {
                    statement.execute("SELECT 1");
                }
            }
        }
    }

    static class Negative {
        @LoadTest
        @MaxQueriesPerOp(-1)
        void negative() {
            ThreeQueries.CALLS.incrementAndGet();
        }
    }
}
