package io.secrethub.perf.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.db.DbEnvironment.Probe;
import io.secrethub.perf.db.ServerChoice.Decision;
import io.secrethub.perf.db.ServerChoice.Source;
import java.sql.Connection;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The local-server path against the real PostgreSQL: only Docker is left out. */
class LocalServerTest {

    private final SystemDbEnvironment system = new SystemDbEnvironment(key -> Optional.empty());

    @Test
    void withoutDockerTheLibpqServerIsChosenAndAnswers() throws Exception {
        Decision decision = ServerChoice.choose(FakeEnvironment.realWithoutDocker());

        assertThat(decision.source()).isEqualTo(Source.LOCAL_SERVER);
        try (Connection connection = decision.server().dataSource().getConnection()) {
            assertThat(connection.isValid(1)).isTrue();
        }
    }

    @Test
    void aMissingDatabaseIsToldApartFromAMissingServer() {
        Probe missingDatabase = system.connect(new Server(LocalPostgres.url("perf_no_such_database"),
                LocalPostgres.SERVER.user(), LocalPostgres.SERVER.password()));
        Probe closedPort = system.connect(new Server("jdbc:postgresql://127.0.0.1:1/postgres", "nobody", null));

        assertThat(missingDatabase.status()).isEqualTo(Probe.Status.NO_SUCH_DATABASE);
        assertThat(closedPort.status()).isEqualTo(Probe.Status.FAILED);
        assertThat(closedPort.detail()).contains("127.0.0.1:1");
    }

    @Test
    void aUserWithoutADatabaseOfItsNameFallsBackToPostgres() throws Exception {
        String role = FreshDatabase.uniqueName();
        LocalPostgres.execute("postgres", "CREATE ROLE " + role + " LOGIN");
        try {
            FakeEnvironment env = FakeEnvironment.realWithoutDocker();
            env.env.remove("PGDATABASE");
            env.env("PGUSER", role);

            Decision decision = ServerChoice.choose(env);

            assertThat(decision.server().url()).endsWith("/postgres");
            assertThat(env.connects).extracting(Server::url).first().asString().endsWith("/" + role);
        } finally {
            LocalPostgres.execute("postgres", "DROP ROLE " + role);
        }
    }
}
