package io.secrethub.core.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.BackendException;
import io.secrethub.core.DatabaseConfig;
import io.secrethub.core.DatabaseCredentials;
import io.secrethub.core.DatabaseRole;
import io.secrethub.core.SecretHub;
import io.secrethub.core.testing.Eventually;
import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.PgRoles;
import io.secrethub.core.testing.UnsealedHubExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A creds call that is still waiting (here: held just before it takes its admin connection) when its lease is
 * revoked must not create the user afterwards: the revocation found nothing to drop, so that user would live on
 * with nobody to revoke it.
 */
class CredentialRevocationRaceTest {

    @RegisterExtension
    @Order(1)
    static final PgRoles ROLES = new PgRoles();
    @RegisterExtension
    @Order(2)
    static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(
            b -> b.leasePollInterval(Duration.ofMillis(25)));

    @Test
    void aUserWhoseLeaseWasRevokedWhileItsCreationWaitedIsNeverCreated(HubFixture fixture) throws Exception {
        SecretHub hub = fixture.hub();
        String root = fixture.rootToken();
        String role = ROLES.role("race");
        hub.database().writeConfig(root, "racedb", DatabaseConfig.builder().connectionUrl(fixture.jdbcUrl())
                .username(ROLES.adminUser()).password(ROLES.adminPassword()).allowedRoles(role).build());
        hub.database().writeRole(root, role, DatabaseRole.builder("racedb")
                .creationStatements("CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}'")
                .defaultTtl(Duration.ofMinutes(10)).maxTtl(Duration.ofMinutes(10)).build());
        DatabaseSecretsService service = (DatabaseSecretsService) hub.database();
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        service.beforeCreation(() -> {
            waiting.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<DatabaseCredentials> creds = caller.submit(() -> hub.database().creds(root, role));
            assertThat(waiting.await(30, TimeUnit.SECONDS)).as("creds reached its admin work").isTrue();
            assertThat(hub.leases().revokePrefix(root, "database/creds/" + role)).isEqualTo(1);
            Eventually.await("the lease is revoked", Duration.ofSeconds(30),
                    () -> "revoked".equals(leaseState(fixture.dataSource(), role)));
            release.countDown();
            assertThatThrownBy(() -> creds.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(BackendException.class).hasMessageContaining("revoked");
        } finally {
            release.countDown();
            service.beforeCreation(() -> { });
            caller.shutdownNow();
        }
        assertThat(ROLES.existing()).as("users SecretHub considers revoked").isEmpty();
        assertThat(hub.database().creds(root, role).username()).as("later calls still work").startsWith("v_");
    }

    private static String leaseState(DataSource db, String role) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT state FROM leases WHERE starts_with(lease_id, ?)")) {
            ps.setString(1, "database/creds/" + role + "/");
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
