package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.runtime.HubInternals;
import io.secrethub.core.testing.Eventually;
import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHubExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The secret read cache against the real database: a caller reads its own writes, a write on another instance
 * reaches this one through PostgreSQL's notifications, and losing the notification connection never leaves a
 * stale entry behind.
 */
class SecretCacheCoherenceTest {

    /** Generous: notifications arrive in milliseconds; this only bounds a broken build's wait. */
    private static final Duration EVENTUALLY = Duration.ofSeconds(20);

    @RegisterExtension
    static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(b -> b.nodeName("first"));

    static HubFixture fixture;
    static SecretHub first;
    static SecretHub second;
    static String root;
    static DataSource db;

    @BeforeAll
    static void setUp(HubFixture hubFixture) {
        fixture = hubFixture;
        first = fixture.hub();
        root = fixture.rootToken();
        db = fixture.dataSource();
        second = fixture.newUnsealedInstance(6, b -> b.nodeName("second"));
    }

    @Test
    void changeListenersHearTheirOwnInstancesAndOtherInstancesWrites() throws Exception {
        java.util.concurrent.BlockingQueue<String> heardByFirst = new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.BlockingQueue<String> heardBySecond = new java.util.concurrent.LinkedBlockingQueue<>();
        SecretChangeListener onFirst = heardByFirst::add;
        SecretChangeListener onSecond = heardBySecond::add;
        first.addSecretChangeListener(onFirst);
        second.addSecretChangeListener(onSecond);
        try {
            first.secrets().write(root, "listen/one", Map.of("v", "1"));
            assertThat(heardByFirst.poll(EVENTUALLY.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                    .isEqualTo("listen/one");
            assertThat(heardBySecond.poll(EVENTUALLY.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                    .isEqualTo("listen/one");
        } finally {
            first.removeSecretChangeListener(onFirst);
            second.removeSecretChangeListener(onSecond);
        }
        first.secrets().write(root, "listen/two", Map.of("v", "1"));
        assertThat(heardByFirst).isEmpty(); // removed: told nothing more
    }

    @Test
    void aCallerReadsItsOwnWritesDeletesAndDestroys() {
        String path = "cache/own";
        first.secrets().write(root, path, Map.of("v", "1"));
        assertThat(read(first, path)).isEqualTo("1");
        first.secrets().write(root, path, Map.of("v", "2"));
        assertThat(read(first, path)).isEqualTo("2");

        first.secrets().delete(root, path);
        assertThatThrownBy(() -> read(first, path)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("deleted");
        first.secrets().undelete(root, path, 2);
        assertThat(read(first, path)).isEqualTo("2");
        first.secrets().destroy(root, path, 2);
        assertThatThrownBy(() -> read(first, path)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("destroyed");
        first.secrets().deleteMetadata(root, path);
        assertThatThrownBy(() -> read(first, path)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no secret");
    }

    @Test
    void readsAreServedFromTheCacheUntilAnotherInstanceAnnouncesAWrite() throws Exception {
        String path = "cache/shared";
        // Written on the instance that caches, whose own invalidation is synchronous: a notification of this write
        // cannot arrive later and evict the entry this test is about.
        first.secrets().write(root, path, Map.of("v", "1"));
        awaitCaching(first, path);

        // Behind SecretHub's back, with no announcement: a cached read does not go to the database at all.
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE secret_versions"
                + " SET ciphertext = NULL, destroyed = true WHERE secret_id = (SELECT id FROM secret_metadata WHERE "
                        + "path = ?)")) {
            ps.setString(1, path);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertThat(read(first, path)).as("served from the cache").isEqualTo("1");

        // A real write on the other instance announces itself; the first instance must drop its entry.
        second.secrets().write(root, path, Map.of("v", "2"));
        Eventually.await("the first instance drops its entry and reads v2", EVENTUALLY, ()
                -> "2".equals(read(first, path)));
        assertThat(read(first, path)).isEqualTo("2");
    }

    @Test
    void losingTheNotificationConnectionDropsTheCache() throws Exception {
        String path = "cache/reconnect";
        first.secrets().write(root, path, Map.of("v", "1"));
        awaitCaching(first, path);

        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND application_name LIKE 'secrethub-changes-%'");
        }
        // Whether or not the first instance heard this write before its listener died, it must not keep v1.
        second.secrets().write(root, path, Map.of("v", "2"));
        Eventually.await("the first instance reads v2 after losing its listener", EVENTUALLY,
                () -> "2".equals(read(first, path)));
        assertThat(read(first, path)).isEqualTo("2");
        awaitCaching(first, path); // and it caches again once it listens again
    }

    @Test
    void aClosedInstanceStopsListening() throws Exception {
        SecretHub third = fixture.newInstance(b -> b.nodeName("third"));
        String session = "secrethub-changes-third";
        Eventually.await("the feed's session is open", EVENTUALLY, () -> sessions(session) == 1);
        third.close();
        Eventually.await("no session is named after the closed feed", EVENTUALLY, () -> sessions(session) == 0);
        assertThat(sessions(session)).as("sessions still named after the closed feed").isZero();
    }

    private static int sessions(String applicationName) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = ?")) {
            ps.setString(1, applicationName);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not count sessions", e);
        }
    }

    private static String read(SecretHub hub, String path) {
        return hub.secrets().read(root, path).data().get("v");
    }

    /** Reads until the path shows up in the instance's cache (the listener may still be starting). */
    private static void awaitCaching(SecretHub hub, String path) {
        Eventually.await(path + " is cached on " + hub.node(), EVENTUALLY, () -> {
            read(hub, path);
            return HubInternals.secretCache(hub).contains(path);
        });
    }
}
