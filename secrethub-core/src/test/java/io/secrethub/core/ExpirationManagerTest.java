package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.runtime.HubInternals;
import io.secrethub.core.testing.Eventually;
import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.HubSettings;
import io.secrethub.core.testing.UnsealedHubExtension;
import io.secrethub.core.token.IssuedToken;
import io.secrethub.core.token.TokenSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The expiration manager across instances: leases are durable and picked up by whichever instance is
 * unsealed, each is revoked once when several share the database, and sealing stops it.
 */
class ExpirationManagerTest {

    static final MutableClock CLOCK = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(settings(1)).poolSize(30);

    static HubFixture fixture;

    /** Initializes the database, then stops that instance: each test starts the instances it is about. */
    @BeforeAll
    static void initialize(HubFixture initialized) {
        fixture = initialized;
        fixture.hub().close();
    }

    static HubSettings settings(int concurrency) {
        return b -> b.clock(CLOCK).leasePollInterval(Duration.ofMillis(20)).leaseBatchSize(25)
                .leaseRevocationConcurrency(concurrency);
    }

    static SecretHub unsealed(int concurrency) {
        return fixture.newUnsealedInstance(settings(concurrency));
    }

    @Test
    void leasesSurviveARestartAndTheNextInstanceRevokesThem() throws SQLException {
        List<IssuedToken> tokens = new ArrayList<>();
        try (SecretHub first = unsealed(2)) {
            for (int i = 0; i < 20; i++) {
                tokens.add(HubInternals.tokens(first)
                        .create(new TokenSpec(List.of("default"), "restart", Duration.ofMinutes(1),
                        null, null)));
            }
        } // closed (sealed) before any of them expired
        CLOCK.advance(Duration.ofMinutes(2));
        List<String> leaseIds = tokens.stream().map(t -> t.entry().leaseId()).toList();
        assertThat(countInState(leaseIds, "active")).isEqualTo(20);

        try (SecretHub next = unsealed(2)) {
            Eventually.await("the next instance revokes the leases", WAIT,
                    () -> countInState(leaseIds, "revoked") == 20);
            assertThat(next.leaseStats().revoked()).isGreaterThanOrEqualTo(20);
            for (IssuedToken t : tokens) {
                assertThat(tokenExists(t.entry().leaseId())).isFalse();
            }
        }
    }

    @Test
    void instancesSharingTheDatabaseRevokeEachLeaseOnce() throws SQLException {
        int count = 600;
        List<String> leaseIds = new ArrayList<>();
        try (SecretHub a = unsealed(2); SecretHub b = unsealed(2)) {
            for (int i = 0; i < count; i++) {
                SecretHub creator = i % 2 == 0 ? a : b;
                leaseIds.add(HubInternals.tokens(creator)
                        .create(new TokenSpec(List.of("default"), "shared", Duration.ofMinutes(1),
                        null, null)).entry().leaseId());
            }
            LeaseStats aBefore = a.leaseStats();
            LeaseStats bBefore = b.leaseStats();
            CLOCK.advance(Duration.ofMinutes(2));
            Eventually.await("both instances revoke every lease", WAIT, ()
                    -> countInState(leaseIds, "revoked") == count);
            long byA = a.leaseStats().revoked() - aBefore.revoked();
            long byB = b.leaseStats().revoked() - bBefore.revoked();
            System.out.printf("[expiration] %d leases revoked by two instances: %d by one, %d by the other%n",
                    count, byA, byB);
            // Each revocation is counted by the instance that did it: a lease revoked twice would push the sum over.
            assertThat(byA + byB).isEqualTo(count);
            assertThat(a.leaseStats().failedAttempts() + b.leaseStats().failedAttempts()).isZero();
        }
    }

    @Test
    void sealingStopsTheManagerAndUnsealingResumesIt() throws SQLException {
        try (SecretHub hub = unsealed(1)) {
            List<String> leaseIds = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                leaseIds.add(HubInternals.tokens(hub)
                        .create(new TokenSpec(List.of("default"), "sealed", Duration.ofMinutes(1),
                        null, null)).entry().leaseId());
            }
            hub.sys().seal(fixture.rootToken());
            CLOCK.advance(Duration.ofMinutes(2));
            long claimed = hub.leaseStats().claimed();
            Thread.sleep(300); // fifteen poll intervals: a manager that kept running would have claimed them
            assertThat(countInState(leaseIds, "active")).isEqualTo(10);
            assertThat(hub.leaseStats().claimed()).isEqualTo(claimed);

            fixture.unseal(hub);
            Eventually.await("revoked after unseal", WAIT, () -> countInState(leaseIds, "revoked") == 10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Token leases are revoked in the transaction that takes them, but a row MAC that fails still refuses the lease:
     * it is never revoked (its token stays), each attempt is counted, and it ends irrevocable.
     */
    @Test
    void anExpiredTokenLeaseWhoseRowWasEditedIsNeverRevokedAndEndsIrrevocable() throws SQLException {
        try (SecretHub hub = unsealed(1)) {
            String leaseId = HubInternals.tokens(hub).create(new TokenSpec(List.of("default"), "edited",
                    Duration.ofMinutes(1), null, null)).entry().leaseId();
            sql("UPDATE leases SET ttl_seconds = ttl_seconds + 1 WHERE lease_id = ?", leaseId);
            long irrevocableBefore = hub.leaseStats().irrevocable();
            for (int attempt = 1; attempt <= 6; attempt++) { // the default leaseMaxAttempts
                CLOCK.advance(Duration.ofMinutes(10)); // past the lease's expiry, then past each backoff
                int expected = attempt;
                Eventually.await("attempt " + attempt + " refused", WAIT,
                        () -> expected == ((Number) column(leaseId, "attempts")).intValue());
            }
            assertThat(column(leaseId, "state")).isEqualTo("irrevocable");
            assertThat((String) column(leaseId, "last_error")).startsWith("integrity");
            assertThat(tokenExists(leaseId)).as("never revoked").isTrue();
            assertThat(hub.leaseStats().irrevocable() - irrevocableBefore).isEqualTo(1);
        }
    }

    /**
     * When the transaction that revokes token leases fails, the leases are claimed instead, so the failure is recorded
     * as a counted attempt with its backoff (not retried at every poll), and the next attempt revokes them.
     */
    @Test
    void aTokenLeaseWhoseRevocationFailsIsRetriedAfterItsBackoff() throws SQLException {
        try (SecretHub hub = unsealed(1)) {
            String leaseId = HubInternals.tokens(hub).create(new TokenSpec(List.of("default"), "failing",
                    Duration.ofMinutes(1), null, null)).entry().leaseId();
            long failedBefore = hub.leaseStats().failedAttempts();
            sql("ALTER TABLE tokens RENAME TO tokens_gone");
            try {
                CLOCK.advance(Duration.ofMinutes(2));
                Eventually.await("a failed attempt recorded", WAIT, () -> column(leaseId, "last_error") != null);
            } finally {
                sql("ALTER TABLE tokens_gone RENAME TO tokens");
            }
            assertThat(column(leaseId, "state")).isEqualTo("revoking");
            assertThat(((Number) column(leaseId, "attempts")).intValue()).isEqualTo(1);
            assertThat((String) column(leaseId, "last_error")).contains("SQLSTATE 42P01");
            assertThat(hub.leaseStats().failedAttempts() - failedBefore).isEqualTo(1);

            CLOCK.advance(Duration.ofMinutes(10));
            Eventually.await("revoked by the next attempt", WAIT, () -> "revoked".equals(column(leaseId, "state")));
            assertThat(((Number) column(leaseId, "attempts")).intValue()).isEqualTo(2);
            assertThat(column(leaseId, "last_error")).isNull();
            assertThat(tokenExists(leaseId)).isFalse();
        }
    }

    static Object column(String leaseId, String column) {
        try (Connection c = fixture.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + column + " FROM leases WHERE lease_id = ?")) {
            ps.setString(1, leaseId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void sql(String sql, String... parameters) throws SQLException {
        try (Connection c = fixture.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            ps.execute();
        }
    }

    static long countInState(List<String> leaseIds, String state) {
        try (Connection c = fixture.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM leases WHERE lease_id = ANY (?) AND state = ?")) {
            ps.setArray(1, c.createArrayOf("text", leaseIds.toArray()));
            ps.setString(2, state);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean tokenExists(String leaseId) throws SQLException {
        try (Connection c = fixture.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM tokens WHERE lease_id = ?")) {
            ps.setString(1, leaseId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
