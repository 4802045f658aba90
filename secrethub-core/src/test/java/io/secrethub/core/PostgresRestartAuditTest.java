package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.secrethub.core.testing.Eventually;
import io.secrethub.core.testing.PrivatePostgres;
import io.secrethub.core.testing.Unsealing;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, "PostgreSQL restarts under load", on a PostgreSQL of the test's own (never the shared server): a call
 * whose success was recorded but whose commit then failed is corrected once the database is back, and the audit
 * writer does not keep callers waiting while the database is down.
 */
class PostgresRestartAuditTest {

    private static final String CORRECTION = "not completed after its success was recorded";

    private PrivatePostgres pg;
    private HikariDataSource pool;
    private SecretHub hub;
    private String root;

    @BeforeEach
    void start() {
        assumeTrue(PrivatePostgres.available(), "no PostgreSQL server binaries on this machine");
        pg = PrivatePostgres.create();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(pg.jdbcUrl());
        config.setUsername(pg.user());
        config.setMaximumPoolSize(20); // as the server's pool; HikariCP's default 30 s connection timeout
        pool = new HikariDataSource(config);
        hub = SecretHub.builder().dataSource(pool).auditTimeout(Duration.ofSeconds(10)).build();
        root = Unsealing.initialize(hub).rootToken();
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        if (pool != null) {
            pool.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void aWriteWhoseCommitFailsInARestartAfterItsSuccessWasRecordedIsCorrected() throws Exception {
        sql("CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " IF EXISTS (SELECT 1 FROM secret_metadata m"
                        + " WHERE m.id = NEW.secret_id AND m.path LIKE 'slow/%')"
                        + " THEN PERFORM pg_sleep(60); END IF; RETURN NULL; END $$",
                "CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON secret_versions DEFERRABLE INITIALLY DEFERRED"
                        + " FOR EACH ROW EXECUTE FUNCTION slow_commit()");
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            // The write records its success, then its COMMIT runs the deferred trigger and sleeps there.
            CompletableFuture<Integer> write = CompletableFuture.supplyAsync(
                    () -> hub.secrets().write(root, "slow/one", Map.of("k", "v")).version(), caller);
            Eventually.await("the commit sleeps", Duration.ofSeconds(30), () -> committing());
            pg.restart(); // the commit fails; so does the audit writer's connection

            assertThatThrownBy(write::join).hasCauseInstanceOf(SecretHubException.class);
            Eventually.await("the success of the failed write is corrected", Duration.ofSeconds(60),
                    () -> corrected("slow/one"));
            assertThatThrownBy(() -> hub.secrets().read(root, "slow/one")).isInstanceOf(NotFoundException.class);
            AuditVerification v = hub.audit().verify(root);
            assertThat(v.intact()).as(v.message()).isTrue();
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void whilePostgresIsDownCallsAreRefusedAtOnceAndServedAgainWhenItIsBack() {
        hub.secrets().write(root, "down/read", Map.of("k", "v"));
        hub.secrets().read(root, "down/read"); // cached: from here a read needs the database only for its audit
        pg.kill();
        try {
            // The first call finds the writer's connection gone; after that the writer has none and says so at
            // once, instead of letting each call wait for the audit timeout while the pool waits for its own.
            AuditUnavailableException refused = null;
            long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos(); // a bound on a broken test only
            while (refused == null && System.nanoTime() - giveUp < 0) {
                try {
                    hub.secrets().read(root, "down/read");
                } catch (AuditUnavailableException e) {
                    if (e.getMessage().contains("request refused")) {
                        refused = e;
                    }
                }
                sleep(50);
            }
            assertThat(refused).as("a call refused because the audit database is unreachable").isNotNull();
            assertThat(refused.getMessage()).contains("audit database is unreachable");
        } finally {
            pg.start();
        }
        Eventually.await("reads are served again", Duration.ofSeconds(90), () -> {
            try {
                return hub.secrets().read(root, "down/read").data().containsKey("k");
            } catch (SecretHubException e) {
                return false;
            }
        });
        AuditVerification v = hub.audit().verify(root);
        assertThat(v.intact()).as(v.message()).isTrue();
    }

    /**
     * Writers and readers run while PostgreSQL restarts; afterwards every acknowledged write is there, no failed
     * write has an uncorrected success, and the chain verifies. Prints how long after the restart calls succeed
     * again (a figure on a shared, loaded machine, not a benchmark; never asserted).
     */
    @Test
    void afterARestartCallsSucceedAgainPromptlyAndNoFailedWriteKeepsASuccess() throws Exception {
        int threads = 40; // more callers than the pool has connections (20), as 100 agents on the server
        hub.secrets().write(root, "load/read", Map.of("k", "v"));
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> failed = ConcurrentHashMap.newKeySet();
        Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong lastFailureNanos = new AtomicLong();
        AtomicLong firstSuccessAfterRestart = new AtomicLong();
        AtomicLong firstWriteAfterRestart = new AtomicLong();
        AtomicLong restartDone = new AtomicLong(Long.MAX_VALUE);
        AtomicLong counter = new AtomicLong();
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            workers.submit(() -> {
                while (running.get()) {
                    long n = counter.incrementAndGet();
                    String path = "load/w" + n;
                    boolean write = n % 3 == 0;
                    try {
                        if (write) {
                            hub.secrets().write(root, path, Map.of("k", "v"));
                            acknowledged.add(path);
                        } else {
                            hub.secrets().read(root, "load/read");
                        }
                        long now = System.nanoTime();
                        if (now > restartDone.get()) {
                            firstSuccessAfterRestart.compareAndSet(0, now);
                            if (write) {
                                firstWriteAfterRestart.compareAndSet(0, now);
                            }
                        }
                    } catch (RuntimeException e) {
                        if (write) {
                            failed.add(path);
                        }
                        failures.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
                        lastFailureNanos.set(System.nanoTime());
                        sleep(5);
                    }
                }
            });
        }
        sleep(2000);
        long restartStart = System.nanoTime();
        pg.restart();
        restartDone.set(System.nanoTime());
        long restartMillis = (restartDone.get() - restartStart) / 1_000_000;
        Eventually.await("a write succeeds after the restart", Duration.ofSeconds(120),
                () -> firstWriteAfterRestart.get() != 0);
        sleep(3000);
        running.set(false);
        workers.shutdown();
        assertThat(workers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        long recoveredMillis = (firstSuccessAfterRestart.get() - restartDone.get()) / 1_000_000;
        long writesBackMillis = (firstWriteAfterRestart.get() - restartDone.get()) / 1_000_000;
        long lastFailureMillis = (lastFailureNanos.get() - restartDone.get()) / 1_000_000;
        System.out.printf("PostgreSQL restart took %d ms; first successful call %d ms after it, first successful"
                + " write %d ms after it; last failed call %d ms after it; %d writes acknowledged, %d failed; failures"
                + " by type %s; %d threads (shared machine under load: not a benchmark)%n", restartMillis,
                recoveredMillis, writesBackMillis, lastFailureMillis, acknowledged.size(), failed.size(), failures,
                threads);

        for (String path : acknowledged) {
            assertThat(hub.secrets().read(root, path).data()).as(path).containsEntry("k", "v");
        }
        Eventually.await("every failed write's success, if recorded, is corrected", Duration.ofSeconds(60),
                () -> failed.stream().allMatch(this::corrected));
        AuditVerification v = hub.audit().verify(root);
        assertThat(v.intact()).as(v.message()).isTrue();
    }

    /** Whether every success recorded for a write of {@code path} that did not commit is followed by a correction. */
    private boolean corrected(String path) {
        List<AuditRecord> writes;
        try {
            writes = records().stream().filter(r -> path.equals(r.path()) && r.operation().equals("secrets.write"))
                    .toList();
        } catch (SecretHubException e) {
            return false; // the database is not back yet
        }
        return writes.stream().filter(r -> r.outcome() == AuditOutcome.SUCCESS).allMatch(s -> writes.stream()
                .anyMatch(c -> c.requestId().equals(s.requestId()) && c.outcome() == AuditOutcome.ERROR
                        && CORRECTION.equals(c.detail())));
    }

    private List<AuditRecord> records() {
        List<AuditRecord> all = new ArrayList<>();
        long from = 1;
        while (true) {
            List<AuditRecord> page = hub.audit().records(root, from, 10_000);
            all.addAll(page);
            if (page.size() < 10_000) {
                return all;
            }
            from = page.get(page.size() - 1).sequence() + 1;
        }
    }

    private boolean committing() {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'")) {
            rs.next();
            return rs.getInt(1) == 1;
        } catch (SQLException e) {
            return false;
        }
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
