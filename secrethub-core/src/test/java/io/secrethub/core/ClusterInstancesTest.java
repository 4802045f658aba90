package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import io.secrethub.core.testing.Eventually;
import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.PrivatePostgres;
import io.secrethub.core.testing.UnsealedHubExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Instances know each other through their heartbeat rows in the database: the live list, a dead instance dropping out
 * within the staleness bound, a stopped one at once, old rows pruned, and the health view each instance keeps.
 */
class ClusterInstancesTest {

    /** Bounds a broken build's wait only; the heartbeat runs every 200 ms here. */
    private static final Duration EVENTUALLY = Duration.ofSeconds(20);
    private static final Duration STALE_AFTER = Duration.ofSeconds(1);

    @RegisterExtension
    static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(b -> b.nodeName("first")
            .instanceHeartbeat(Duration.ofMillis(200), STALE_AFTER));

    static HubFixture fixture;
    static SecretHub first;
    static String root;
    static DataSource db;

    @BeforeAll
    static void setUp(HubFixture hubFixture) {
        fixture = hubFixture;
        first = fixture.hub();
        root = fixture.rootToken();
        db = fixture.dataSource();
    }

    private static List<String> ids(SecretHub hub) {
        return hub.sys().instances(root).stream().map(InstanceInfo::instanceId).toList();
    }

    @Test
    void twoInstancesListEachOtherAndAStoppedOneLeavesAtOnce() {
        first.sys().advertise("https://10.0.0.1:8200");
        SecretHub second = fixture.newUnsealedInstance(4, b -> b.nodeName("second")
                .instanceHeartbeat(Duration.ofMillis(200), STALE_AFTER));
        second.sys().advertise("https://10.0.0.2:8200");
        Eventually.await("both instances advertise their address", EVENTUALLY, () -> first.sys().instances(root)
                .stream().filter(i -> !i.apiAddress().isEmpty()).count() == 2);

        List<InstanceInfo> seenByFirst = first.sys().instances(root);
        assertThat(seenByFirst).extracting(InstanceInfo::instanceId).containsExactly("first", "second");
        assertThat(seenByFirst).extracting(InstanceInfo::apiAddress)
                .containsExactly("https://10.0.0.1:8200", "https://10.0.0.2:8200");
        assertThat(seenByFirst).extracting(InstanceInfo::self).containsExactly(true, false);
        assertThat(seenByFirst).allSatisfy(i -> {
            assertThat(i.sealed()).isFalse();
            assertThat(i.clusterAddress()).isEmpty();
            assertThat(i.lastSeen()).isAfterOrEqualTo(i.startedAt().minusSeconds(60));
        });
        assertThat(second.sys().instances(root)).extracting(InstanceInfo::self).containsExactly(false, true);
        Eventually.await("the health view counts both", EVENTUALLY, () -> first.sys().health().liveInstances() == 2);

        second.sys().seal(root);
        Eventually.await("the sealed instance shows as sealed", EVENTUALLY, () -> first.sys().instances(root).stream()
                .anyMatch(i -> i.instanceId().equals("second") && i.sealed()));

        second.close();
        assertThat(ids(first)).containsExactly("first"); // its row went with it: no waiting for the bound
    }

    @Test
    void aDeadInstanceDropsOutWithinTheStalenessBound() throws SQLException {
        // A killed instance is a row that stops moving: write one as its last heartbeat would have.
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO "
                + "cluster_instances VALUES ('killed', 'host-k', 'https://10.0.0.9:8200', '', false, now(), now())")) {
            ps.executeUpdate();
        }
        assertThat(ids(first)).contains("killed");
        long start = System.nanoTime();
        Eventually.await("the dead instance drops out", EVENTUALLY, () -> !ids(first).contains("killed"));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        // Not a timing assertion on the machine: the row's age is the database's, and it cannot leave earlier.
        assertThat(tookMillis).isGreaterThanOrEqualTo(STALE_AFTER.toMillis() - 200);
        assertThat(rowExists("killed")).isTrue(); // out of the list, not yet pruned
    }

    @Test
    void rowsOfInstancesLongGoneArePrunedByTheNextInstanceToStart() throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO "
                + "cluster_instances VALUES ('long-gone', 'h', '', '', false, now() - interval '2 days', "
                + "now() - interval '1 day')")) {
            ps.executeUpdate();
        }
        try (SecretHub third = fixture.newInstance(4, b -> b.nodeName("third"))) { // feed + audit writer + beats
            assertThat(rowExists("long-gone")).isFalse();
            assertThat(rowExists("third")).isTrue(); // sealed instances beat too
        }
        assertThat(rowExists("third")).isFalse();
    }

    @Test
    void healthNeedsNoTokenAndTheListNeedsReadOnHaStatus() {
        InstanceHealth health = first.sys().health();
        assertThat(health.instanceId()).isEqualTo("first");
        assertThat(health.databaseReachable()).isTrue();
        assertThat(health.lastHeartbeatTime()).isPresent();
        assertThat(health.auditQueueDepth()).isGreaterThanOrEqualTo(0);
        assertThat(health.staleAfter()).isEqualTo(STALE_AFTER);
        Eventually.await("the change feed listens", EVENTUALLY, () -> first.sys().health().changeFeedConnected());

        first.policies().write(root, Policy.builder("nothing-sys").path("secret/data/x", Capability.READ).build());
        first.policies().write(root, Policy.builder("ha-reader").path("sys/ha-status", Capability.READ).build());
        String plain = first.auth().tokens().create(root, List.of("nothing-sys"), Duration.ofMinutes(5), null)
                .token();
        String reader = first.auth().tokens().create(root, List.of("ha-reader"), Duration.ofMinutes(5), null)
                .token();
        assertThatThrownBy(() -> first.sys().instances(plain)).isInstanceOf(PermissionDeniedException.class);
        assertThat(first.sys().instances(reader)).extracting(InstanceInfo::instanceId).contains("first");
        assertThatThrownBy(() -> first.sys().instances("not-a-token")).isInstanceOf(SecretHubException.class);
    }

    @Test
    void advertisedAddressesAreValidated() {
        assertThatThrownBy(() -> first.sys().advertise("https://a b")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> first.sys().advertise("x".repeat(513))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> SecretHub.builder().instanceHeartbeat(Duration.ofSeconds(1), Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }

    @Test
    void healthShowsTheDatabaseAndTheChangeFeedGoneAndBack() {
        assumeTrue(PrivatePostgres.available(), "no PostgreSQL server binaries on this machine");
        try (PrivatePostgres pg = PrivatePostgres.create(); HikariDataSource pool = pool(pg);
                SecretHub hub = SecretHub.builder().dataSource(pool).nodeName("alone")
                        .instanceHeartbeat(Duration.ofMillis(200), STALE_AFTER).build()) {
            Eventually.await("connected", EVENTUALLY, () -> hub.sys().health().databaseReachable()
                    && hub.sys().health().changeFeedConnected());
            assertThat(hub.sys().health().liveInstances()).isEqualTo(1);

            pg.stop();
            Eventually.await("the outage shows", EVENTUALLY, () -> !hub.sys().health().databaseReachable()
                    && !hub.sys().health().changeFeedConnected());

            pg.start();
            Eventually.await("the recovery shows", EVENTUALLY, () -> hub.sys().health().databaseReachable()
                    && hub.sys().health().changeFeedConnected());
        }
    }

    private static HikariDataSource pool(PrivatePostgres pg) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(pg.jdbcUrl());
        config.setUsername(pg.user());
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(1000);
        return new HikariDataSource(config);
    }

    private static boolean rowExists(String id) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT 1 FROM cluster_instances WHERE instance_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
