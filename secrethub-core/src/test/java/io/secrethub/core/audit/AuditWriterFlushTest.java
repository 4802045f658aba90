package io.secrethub.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.AuditOutcome;
import io.secrethub.core.crypto.KeyMaterial;
import io.secrethub.core.storage.Database;
import io.secrethub.core.storage.Migrations;
import io.secrethub.perf.db.PostgresDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * {@link AuditWriter#flush} is what seal (and so every shutdown) waits on. It used to count the writer's idle wait
 * for new records as "writing", so a flush of an idle writer nearly always ran to its bound: 5 s added to every
 * seal and every instance stop.
 */
@PostgresDatabase
class AuditWriterFlushTest {

    @Test
    void flushSaysDrainedOnceEveryQueuedRecordIsWrittenAndTheWriterIsIdle(DataSource db) {
        Migrations.apply(db);
        KeyMaterial chainKey = KeyMaterial.randomAes();
        try (AuditWriter writer = new AuditWriter(new Database(db), Duration.ofSeconds(10), 64, 1_000, "flush")) {
            writer.start();
            List<AuditTicket> tickets = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                tickets.add(writer.submit(entry(i), chainKey));
            }
            assertThat(writer.flush(Duration.ofSeconds(30))).as("drained within its bound").isTrue();
            // everything was durable when flush said so: no ticket still waits
            long last = 0;
            for (AuditTicket ticket : tickets) {
                last = Math.max(last, ticket.await(Duration.ZERO));
            }
            assertThat(writer.highestSequence()).isEqualTo(last).isGreaterThanOrEqualTo(200);

            // idle: the writer is waiting for records, which is not writing
            for (int i = 0; i < 20; i++) {
                assertThat(writer.flush(Duration.ofSeconds(30))).as("flush %d of an idle writer", i).isTrue();
            }
        } finally {
            chainKey.destroy();
        }
    }

    @Test
    void flushSaysNotDrainedWhenItsBoundPassesFirst(DataSource db) {
        Migrations.apply(db);
        KeyMaterial chainKey = KeyMaterial.randomAes();
        // never started: the queued record cannot be written
        try (AuditWriter writer = new AuditWriter(new Database(db), Duration.ofSeconds(1), 64, 10, "stopped")) {
            writer.submit(entry(0), chainKey);
            assertThat(writer.flush(Duration.ofMillis(50))).isFalse();
        } finally {
            chainKey.destroy();
        }
    }

    private static AuditEntry entry(int i) {
        return new AuditEntry(Instant.now(), "flush", UUID.randomUUID(), "test.flush", "flush/" + i, null,
                "127.0.0.1", AuditOutcome.SUCCESS, null, null);
    }
}
