package io.secrethub.perftests;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.secrethub.core.SecretHub;
import io.secrethub.core.StorageException;
import io.secrethub.perf.db.PostgresDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pool exhaustion: SecretHub on a pool of {@value #POOL_SIZE} connections with a connectionTimeout of
 * {@value #TIMEOUT_MILLIS} ms. Writers of one secret whose row another session keeps locked (as a slow statement
 * would) hold every connection of the pool; {@value #CALLERS} more callers then read at once. Each of them must get
 * a {@link StorageException} that names the pool and its timeout, no sooner than the timeout; once the lock is
 * released the blocked writers complete, and calls at low load all succeed again (service resumes by itself).
 */
@PostgresDatabase
@ExtendWith(SuiteSettings.Resolver.class)
class PoolExhaustionTest {

    static final int POOL_SIZE = 6;
    static final long TIMEOUT_MILLIS = 500;
    static final int CALLERS = 20;
    private static final String POOL_NAME = "exhaustion-pool";
    private static final String HOT_PATH = "app/mixed/hot";

    private static HikariDataSource pool;
    private static UnsealedHub vault;
    private static SecretHub hub;

    @BeforeAll
    static void setUp(DataSource classPool, SuiteSettings settings) {
        HikariConfig config = new HikariConfig();
        ((HikariDataSource) classPool).copyStateTo(config);
        config.setPoolName(POOL_NAME);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setConnectionTimeout(TIMEOUT_MILLIS);
        pool = new HikariDataSource(config);
        // No secret cache: every read needs a connection, as a cache miss does.
        vault = UnsealedHub.open(SecretHub.builder().dataSource(pool).secretCacheSize(0), settings);
        hub = vault.hub();
        MixedWorkload.prepare(hub, vault.rootToken(), 10);
        hub.secrets().write(vault.rootToken(), HOT_PATH, Map.of("n", "0"));
    }

    @AfterAll
    static void tearDown() throws Exception {
        UnsealedHub.close(vault, pool);
    }

    /** How one call ended. */
    private record Outcome(Throwable failure, long nanos) {
    }

    @Test
    @Tag("perf")
    void callersBeyondThePoolGetAClearStorageExceptionAndServiceResumes(DataSource classPool) throws Exception {
        String root = vault.rootToken();
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            List<Future<Outcome>> writers = new ArrayList<>();
            long released;
            try (Connection locker = classPool.getConnection(); Statement s = locker.createStatement()) {
                locker.setAutoCommit(false);
                s.execute("SELECT 1 FROM secret_metadata WHERE path LIKE '%" + HOT_PATH + "' FOR UPDATE");

                // Writers of the locked secret take connections and wait on the lock with them.
                for (int i = 0; i < POOL_SIZE; i++) {
                    int n = i + 1;
                    writers.add(threads.submit(() -> call(() -> hub.secrets().write(root, HOT_PATH,
                            Map.of("n", Integer.toString(n))))));
                }
                HikariPoolMXBean bean = pool.getHikariPoolMXBean();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while ((bean.getActiveConnections() < POOL_SIZE) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(bean.getActiveConnections()).as("connections in use: the writers hold the pool")
                        .isEqualTo(POOL_SIZE);

                // More callers than connections, all at once.
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Outcome>> callers = new ArrayList<>();
                for (int i = 0; i < CALLERS; i++) {
                    int n = i % 10;
                    callers.add(threads.submit(() -> {
                        go.await();
                        return call(() -> hub.secrets().read(root, ConfigSecrets.configPath(n)));
                    }));
                }
                go.countDown();
                List<Outcome> outcomes = new ArrayList<>();
                for (Future<Outcome> caller : callers) {
                    outcomes.add(caller.get(60, TimeUnit.SECONDS));
                }
                long slowest = outcomes.stream().mapToLong(Outcome::nanos).max().orElse(0);
                long fastest = outcomes.stream().mapToLong(Outcome::nanos).min().orElse(0);
                Throwable first = outcomes.get(0).failure();
                System.out.printf("[pool exhaustion] pool '%s' of %d connections, connectionTimeout %d ms, all held:"
                        + " %d of %d callers failed after %.0f-%.0f ms, e.g. %s%n", POOL_NAME, POOL_SIZE,
                        TIMEOUT_MILLIS, outcomes.stream().filter(o -> o.failure() != null).count(), CALLERS,
                        fastest / 1e6, slowest / 1e6, first);
                for (Outcome o : outcomes) {
                    assertThat(o.failure()).as("a caller beyond the pool").isInstanceOf(StorageException.class)
                            .hasMessageContaining("connection pool '" + POOL_NAME + "' (" + POOL_SIZE
                                    + " connections) gave none within its connectionTimeout of " + TIMEOUT_MILLIS
                                    + " ms");
                    // HikariCP gives up within 10 ms of its timeout, never much before it.
                    assertThat(o.nanos()).as("time to fail").isGreaterThanOrEqualTo((TIMEOUT_MILLIS - 20) * 1_000_000);
                }
                locker.rollback();
                released = System.nanoTime();
            }

            // The lock is gone: the writers that held a connection complete; one that queued behind them for a
            // connection may have failed like the callers above, with the same message.
            int written = 0;
            for (Future<Outcome> writer : writers) {
                Outcome o = writer.get(60, TimeUnit.SECONDS);
                if (o.failure() == null) {
                    written++;
                } else {
                    assertThat(o.failure()).as("a writer that failed").isInstanceOf(StorageException.class)
                            .hasMessageContaining("connection pool '" + POOL_NAME + "'");
                }
            }
            assertThat(written).as("writers that completed once the lock was released").isPositive();

            // Load falls: two callers, fewer than the pool's connections, read and write 20 times each.
            List<Future<Outcome>> low = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int caller = t;
                low.add(threads.submit(() -> call(() -> {
                    for (int i = 0; i < 20; i++) {
                        ConfigSecrets.requireConfigValue(hub.secrets().read(root, ConfigSecrets.configPath(i % 10)),
                                i % 10);
                        hub.secrets().write(root, "app/mixed/low-" + caller, Map.of("i", Integer.toString(i)));
                    }
                    return null;
                })));
            }
            for (Future<Outcome> f : low) {
                Outcome o = f.get(120, TimeUnit.SECONDS);
                assertThat(o.failure()).as("a call at low load after the exhaustion").isNull();
            }
            System.out.printf("[pool exhaustion] after the lock was released: %d of %d blocked writers completed;"
                    + " 80 calls at low load all succeeded, %.2f s after the release%n", written, POOL_SIZE,
                    (System.nanoTime() - released) / 1e9);
        } finally {
            threads.shutdownNow();
        }
    }

    private static Outcome call(java.util.concurrent.Callable<?> work) {
        long start = System.nanoTime();
        try {
            work.call();
            return new Outcome(null, System.nanoTime() - start);
        } catch (Exception | Error e) {
            return new Outcome(e, System.nanoTime() - start);
        }
    }
}
