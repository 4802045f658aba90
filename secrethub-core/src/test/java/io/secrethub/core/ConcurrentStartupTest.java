package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.secrethub.core.storage.Migrations;
import io.secrethub.core.testing.Pools;
import io.secrethub.core.testing.Unsealing;
import io.secrethub.perf.db.PostgresDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Instances starting together on an empty database migrate it once and initialize it once. */
@PostgresDatabase
class ConcurrentStartupTest {

    static final int INSTANCES = 4;

    /** A pool per instance, as separate processes would have. */
    private final List<HikariDataSource> pools = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void closePools() {
        pools.forEach(HikariDataSource::close);
    }

    @Test
    void instancesMigrateAndInitializeAnEmptyDatabaseTogether(DataSource db) throws Exception {
        List<SecretHub> hubs = together(i -> SecretHub.builder().dataSource(pool(db, 6)).nodeName("n" + i).build());
        try {
            List<Object> inits = together(i -> {
                try {
                    return hubs.get(i).sys().initialize(3, 2);
                } catch (InvalidRequestException e) {
                    return e;
                }
            });
            List<InitResult> winners = inits.stream().filter(InitResult.class::isInstance).map(InitResult.class::cast)
                    .toList();
            assertThat(winners).hasSize(1);
            assertThat(inits).filteredOn(InvalidRequestException.class::isInstance).hasSize(INSTANCES - 1)
                    .allSatisfy(e -> assertThat(((Exception) e).getMessage()).contains("already initialized"));

            InitResult init = winners.get(0);
            for (SecretHub hub : hubs) {
                Unsealing.unseal(hub, init.shares());
            }
            hubs.get(0).secrets().write(init.rootToken(), "shared/x", Map.of("k", "from n0"));
            for (SecretHub hub : hubs) {
                assertThat(hub.secrets().read(init.rootToken(), "shared/x").data()).containsEntry("k", "from n0");
            }
            assertThat(hubs.get(INSTANCES - 1).audit().verify(init.rootToken()).intact()).isTrue();
        } finally {
            hubs.forEach(SecretHub::close);
        }
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version, count(*), bool_and(success) FROM "
                        + Migrations.HISTORY_TABLE + " WHERE version IS NOT NULL GROUP BY version ORDER BY version")) {
            int migrations = 0;
            while (rs.next()) {
                migrations++;
                assertThat(rs.getInt(2)).as("migration %s applied once", rs.getString(1)).isEqualTo(1);
                assertThat(rs.getBoolean(3)).isTrue();
            }
            assertThat(migrations).isGreaterThanOrEqualTo(4);
        }
        // and a later start finds nothing to do. Its pool holds 4: the change feed and the audit writer each keep one
        // connection for good, and the heartbeat and the status read need a third.
        try (SecretHub late = SecretHub.builder().dataSource(pool(db, 4)).build()) {
            assertThat(late.sys().status().initialized()).isTrue();
        }
    }

    private DataSource pool(DataSource db, int size) {
        HikariDataSource pool = Pools.another(db, size);
        pools.add(pool);
        return pool;
    }

    @FunctionalInterface
    interface Start<T> {
        T start(int index) throws SQLException;
    }

    static <T> List<T> together(Start<T> start) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(INSTANCES);
        try {
            CyclicBarrier barrier = new CyclicBarrier(INSTANCES);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                int index = i;
                Callable<T> task = () -> {
                    barrier.await();
                    return start.start(index);
                };
                futures.add(pool.submit(task));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(120, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
