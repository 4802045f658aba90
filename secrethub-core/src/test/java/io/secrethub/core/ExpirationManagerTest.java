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
