package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.testing.Eventually;
import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHubExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 13 item 10: a full audit queue refuses new calls at once, naming its capacity, instead of timing out. */
class AuditQueueFullTest {

    private static final int CAPACITY = 4;

    @RegisterExtension
    static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(
            b -> b.auditQueueCapacity(CAPACITY).auditTimeout(Duration.ofSeconds(30))).poolSize(12);

    @Test
    void aFullQueueRefusesTheNextCallAtOnceWithItsCapacity(HubFixture fixture) throws Exception {
        SecretHub hub = fixture.hub();
        String root = fixture.rootToken();
        hub.secrets().write(root, "queue/full", Map.of("k", "v"));
        ExecutorService callers = Executors.newFixedThreadPool(CAPACITY + 1);
        List<CompletableFuture<Secret>> waiting = new ArrayList<>();
        try (Connection lock = fixture.dataSource().getConnection(); Statement s = lock.createStatement()) {
            // The writer's next batch waits for this lock, so everything after it queues up.
            lock.setAutoCommit(false);
            s.execute("SELECT * FROM audit_head WHERE id = 1 FOR UPDATE");
            waiting.add(CompletableFuture.supplyAsync(() -> hub.secrets().read(root, "queue/full"), callers));
            try (Connection probe = fixture.dataSource().getConnection()) {
                Eventually.await("the writer's batch waits for the head", Duration.ofSeconds(20),
                        () -> writerWaitsForTheHead(probe));
            }
            for (int i = 0; i < CAPACITY; i++) {
                waiting.add(CompletableFuture.supplyAsync(() -> hub.secrets().read(root, "queue/full"), callers));
            }
            Eventually.await("the queue is full", Duration.ofSeconds(20), () -> hub.auditStats().queued() == CAPACITY);

            assertThatThrownBy(() -> hub.secrets().read(root, "queue/full"))
                    .isInstanceOf(AuditUnavailableException.class)
                    .hasMessageContaining("audit queue is full (capacity " + CAPACITY + " records)")
                    .hasMessageContaining("refused");
            assertThatThrownBy(() -> hub.secrets().write(root, "queue/refused", Map.of("k", "v")))
                    .isInstanceOf(AuditUnavailableException.class)
                    .hasMessageContaining("capacity " + CAPACITY);
            // Refused while the calls ahead of it are still waiting: it did not wait for a timeout.
            assertThat(waiting).noneMatch(CompletableFuture::isDone);
            lock.rollback();
        } finally {
            callers.shutdown();
        }
        for (CompletableFuture<Secret> call : waiting) {
            assertThat(call.get().data()).containsEntry("k", "v");
        }
        assertThatThrownBy(() -> hub.secrets().read(root, "queue/refused")).isInstanceOf(NotFoundException.class);
        AuditVerification v = hub.audit().verify(root);
        assertThat(v.intact()).as(v.message()).isTrue();
    }

    private static boolean writerWaitsForTheHead(Connection probe) {
        try (Statement s = probe.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                + " AND query LIKE 'WITH moved AS (UPDATE audit_head%'")) {
            rs.next();
            return rs.getInt(1) == 1;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
