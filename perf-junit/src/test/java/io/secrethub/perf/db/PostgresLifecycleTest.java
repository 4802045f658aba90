package io.secrethub.perf.db;

import static io.secrethub.perf.db.LocalPostgres.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.zaxxer.hikari.HikariDataSource;
import java.lang.annotation.Retention;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.lang.annotation.RetentionPolicy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Real JUnit runs of fixture classes, pointed with an explicit URL at the local server this test can
 * inspect. The fixtures are nested classes, which Surefire skips by default; a wider {@code -Dtest}
 * pattern can still pick them up, so they also disable themselves outside these runs.
 */
class PostgresLifecycleTest {

    private static final String FIXTURE_RUN = "perf.db.test.fixture-run";

    /** What the fixtures saw, by fixture name. */
    static final Map<String, String> SEEN = new ConcurrentHashMap<>();

    @BeforeEach
    void forget() {
        SEEN.clear();
    }

    @Test
    void eachClassGetsItsOwnDatabaseDroppedAfterIt() throws Exception {
        EngineExecutionResults results = run(Map.of(), selectClass(FirstFixture.class),
                selectClass(SecondFixture.class));

        assertAllSucceeded(results, 2);
        String first = SEEN.get("first");
        String second = SEEN.get("second");
        assertThat(first).startsWith("perf_").isNotEqualTo(second);
        assertThat(LocalPostgres.databaseExists(first)).isFalse();
        assertThat(LocalPostgres.databaseExists(second)).isFalse();
    }

    @Test
    void nestedClassesShareTheirEnclosingClassDatabase() {
        assertAllSucceeded(run(Map.of(), selectClass(OuterFixture.class)), 1);

        assertThat(SEEN.get("inner")).isEqualTo(SEEN.get("outer"));
    }

    @Test
    void keepKeepsTheDatabase() throws Exception {
        assertAllSucceeded(run(Map.of(PostgresExtension.KEEP, "true"), selectClass(FirstFixture.class)), 1);
        String kept = SEEN.get("first");
        try {
            assertThat(LocalPostgres.databaseExists(kept)).isTrue();
        } finally {
            LocalPostgres.execute("postgres", "DROP DATABASE IF EXISTS " + kept + " WITH (FORCE)");
        }
    }

    @Test
    void poolSizeIsConfigurable() {
        assertAllSucceeded(run(Map.of(PostgresExtension.POOL_SIZE, "3"), selectClass(PoolSizeFixture.class)), 1);

        assertThat(SEEN.get("poolSize")).isEqualTo("3");
    }

    @Test
    void poolTimeoutIsHikarisThirtySecondsUnlessConfigured() {
        assertAllSucceeded(run(Map.of(), selectClass(PoolSizeFixture.class)), 1);
        assertThat(SEEN.get("poolTimeout")).isEqualTo("30000");

        assertAllSucceeded(run(Map.of(PostgresExtension.POOL_TIMEOUT, "1500ms"), selectClass(PoolSizeFixture.class)),
                1);
        assertThat(SEEN.get("poolTimeout")).isEqualTo("1500");
    }

    @Test
    void withoutCreatedbItFallsBackToASchemaAndDropsIt() throws Exception {
        String role = FreshDatabase.uniqueName();
        String database = FreshDatabase.uniqueName();
        LocalPostgres.execute("postgres", "CREATE ROLE " + role + " LOGIN NOCREATEDB");
        LocalPostgres.execute("postgres", "CREATE DATABASE " + database);
        LocalPostgres.execute("postgres", "GRANT CREATE ON DATABASE " + database + " TO " + role);
        try {
            EngineExecutionResults results = run(Map.of(PostgresExtension.URL, LocalPostgres.url(database),
                    PostgresExtension.USER, role), selectClass(FirstFixture.class));

            assertAllSucceeded(results, 1);
            assertThat(SEEN.get("first")).isEqualTo(database);
            assertThat(SEEN.get("firstSchema")).startsWith("perf_");
            assertThat(LocalPostgres.schemaExists(database, SEEN.get("firstSchema"))).isFalse();
        } finally {
            LocalPostgres.execute("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            LocalPostgres.execute("postgres", "DROP ROLE IF EXISTS " + role);
        }
    }

    /**
     * The embedded server for real: on this machine the local server would win, so it is forced. It starts once for
     * the run (both classes see the same server), answers queries, and its directory is gone after the run.
     */
    @Test
    void theForcedEmbeddedServerAnswersAndIsRemovedAfterTheRun() throws Exception {
        EngineExecutionResults results = run(Map.of(PostgresExtension.SOURCE, "embedded"),
                selectClass(EmbeddedFixture.class), selectClass(SecondEmbeddedFixture.class));

        assertAllSucceeded(results, 2);
        assertThat(SEEN.get("embeddedVersion")).startsWith("PostgreSQL ");
        assertThat(SEEN.get("embeddedGreeting")).isEqualTo("hello");
        assertThat(SEEN.get("embeddedDatabase")).startsWith("perf_");
        assertThat(SEEN.get("embeddedDataDirectory")).isEqualTo(SEEN.get("secondEmbeddedDataDirectory"))
                .doesNotContain(LocalPostgres.query(LocalPostgres.SERVER.dataSource(), "show data_directory"));
        assertThat(Path.of(SEEN.get("embeddedDataDirectory"))).doesNotExist();
        assertThat(Path.of(SEEN.get("embeddedDataDirectory")).getParent()).doesNotExist();
    }

    @Test
    void aMalformedUrlFailsNamingItWithoutThePassword() {
        String failure = onlyFailure(run(Map.of(PostgresExtension.URL, "jdbc:postgres://localhost/db?password=hunter2"),
                selectClass(FirstFixture.class)));

        assertThat(failure).contains("secrethub.db.url", "jdbc:postgres://localhost/db?password=***")
                .doesNotContain("hunter2");
    }

    @Test
    void anUnreachableUrlFailsNamingItWithoutThePassword() {
        String failure = onlyFailure(run(Map.of(PostgresExtension.URL, "jdbc:postgresql://127.0.0.1:1/postgres",
                PostgresExtension.PASSWORD, "hunter2"), selectClass(FirstFixture.class)));

        assertThat(failure).contains("Could not create a test database", "jdbc:postgresql://127.0.0.1:1/postgres")
                .doesNotContain("hunter2");
    }

    private static EngineExecutionResults run(Map<String, String> settings, ClassSelector... fixtures) {
        EngineTestKit.Builder kit = EngineTestKit.engine("junit-jupiter").selectors(fixtures)
                .configurationParameter(FIXTURE_RUN, "true")
                .configurationParameter(PostgresExtension.URL, LocalPostgres.url("postgres"))
                .configurationParameter(PostgresExtension.USER, LocalPostgres.SERVER.user());
        if (LocalPostgres.SERVER.password() != null) {
            kit.configurationParameter(PostgresExtension.PASSWORD, LocalPostgres.SERVER.password());
        }
        kit.configurationParameters(settings);
        return kit.execute();
    }

    private static void assertAllSucceeded(EngineExecutionResults results, int tests) {
        results.allEvents().assertStatistics(stats -> stats.failed(0));
        results.testEvents().assertStatistics(stats -> stats.succeeded(tests));
    }

    /** The failure's messages, causes included. */
    private static String onlyFailure(EngineExecutionResults results) {
        Event failed = results.testEvents().failed().list().get(0);
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failed.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow(); t != null; t = t.getCause()) {
            messages.append(t).append('\n');
        }
        return messages.toString();
    }

    @Fixture
    static class FirstFixture {
        @Test
        void records(DataSource dataSource) throws Exception {
            SEEN.put("first", query(dataSource, "select current_database()"));
            SEEN.put("firstSchema", query(dataSource, "select current_schema()"));
        }
    }

    @Fixture
    static class SecondFixture {
        @Test
        void records(DataSource dataSource) throws Exception {
            SEEN.put("second", query(dataSource, "select current_database()"));
        }
    }

    @Fixture
    static class OuterFixture {
        @BeforeAll
        static void records(DataSource dataSource) throws Exception {
            SEEN.put("outer", query(dataSource, "select current_database()"));
        }

        @Nested
        class Inner {
            @Test
            void records(DataSource dataSource) throws Exception {
                SEEN.put("inner", query(dataSource, "select current_database()"));
            }
        }
    }

    @Fixture
    static class EmbeddedFixture {
        @Test
        void records(DataSource dataSource) throws Exception {
            SEEN.put("embeddedVersion", query(dataSource, "select version()"));
            SEEN.put("embeddedDatabase", query(dataSource, "select current_database()"));
            SEEN.put("embeddedDataDirectory", query(dataSource, "show data_directory"));
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("create table greeting (text varchar(20))");
                statement.execute("insert into greeting values ('hello')");
            }
            SEEN.put("embeddedGreeting", query(dataSource, "select text from greeting"));
        }
    }

    @Fixture
    static class SecondEmbeddedFixture {
        @Test
        void records(DataSource dataSource) throws Exception {
            SEEN.put("secondEmbeddedDataDirectory", query(dataSource, "show data_directory"));
        }
    }

    @Fixture
    static class PoolSizeFixture {
        @Test
        void records(DataSource dataSource) throws Exception {
            SEEN.put("poolSize", String.valueOf(dataSource.unwrap(HikariDataSource.class).getMaximumPoolSize()));
            SEEN.put("poolTimeout", String.valueOf(dataSource.unwrap(HikariDataSource.class).getConnectionTimeout()));
        }
    }

    /** A fixture class: gets a database, and runs only inside {@link #run}. */
    @Retention(RetentionPolicy.RUNTIME)
    @PostgresDatabase
    @ExtendWith(OnlyInsideRun.class)
    @interface Fixture {
    }

    static class OnlyInsideRun implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(FIXTURE_RUN).isPresent()
                    ? ConditionEvaluationResult.enabled("inside PostgresLifecycleTest")
                    : ConditionEvaluationResult.disabled("a fixture of PostgresLifecycleTest");
        }
    }
}
