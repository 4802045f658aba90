package io.secrethub.core.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.secrethub.core.InitResult;
import io.secrethub.core.SecretHub;
import io.secrethub.core.audit.AuditWriter;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A rough throughput check, printing figures (never asserting them): N callers read, write, log in
 * with AppRole and register agents through one instance with audit on. Not a test (Surefire ignores it); run its {@code main} with the
 * test classpath. The proper load suite lives in perf-tests.
 *
 * <p>Arguments: {@code [callers=100] [seconds=10] [poolSize=32]}.
 */
public final class SecretHubBenchmark {

    public static void main(String[] args) throws Exception {
        int callers = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int poolSize = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        String db = "secrethub_bench_" + Long.toHexString(System.nanoTime());
        PGSimpleDataSource admin = server("postgres");
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        HikariConfig config = new HikariConfig();
        config.setDataSource(server(db));
        config.setMaximumPoolSize(poolSize);
        try (HikariDataSource ds = new HikariDataSource(config); SecretHub hub = SecretHub.builder().dataSource(ds).build()) {
            InitResult init = hub.sys().initialize(1, 1);
            hub.sys().unseal(init.shares().get(0));
            String token = init.rootToken();
            int paths = 1000;
            for (int i = 0; i < paths; i++) {
                hub.secrets().write(token, "bench/s" + i, Map.of("password", "value-" + i));
            }
            var before = hub.auditStats();
            run("read ", callers, seconds, () -> hub.secrets().read(token, "bench/s" + ThreadLocalRandom.current().nextInt(paths)));
            System.out.println("       audit: " + delta(before, hub.auditStats()));
            before = hub.auditStats();
            run("write", callers, seconds, () -> hub.secrets().write(token, "bench/s" + ThreadLocalRandom.current().nextInt(paths),
                    Map.of("password", "v" + ThreadLocalRandom.current().nextLong())));
            System.out.println("       audit: " + delta(before, hub.auditStats()));

            // AppRole logins: unlimited secret_id, so every login spends no use (the common fleet setup)
            hub.policies().write(token, io.secrethub.core.policy.Policy.builder("bench")
                    .path("secret/data/bench/*", io.secrethub.core.policy.Capability.READ).build());
            hub.auth().appRole().writeRole(token, "bench", io.secrethub.core.AppRoleSettings.builder().policies("bench").build());
            String roleId = hub.auth().appRole().roleId(token, "bench");
            String secretId = hub.auth().appRole().generateSecretId(token, "bench").secretId();
            before = hub.auditStats();
            run("login", callers, seconds, () -> hub.auth().appRole().login(roleId, secretId, "10.0.0.1"));
            System.out.println("       audit: " + delta(before, hub.auditStats()));

            // Registrations: CSRs made up front, since a real agent makes its own key
            int csrs = Integer.getInteger("bench.csrs", 20_000);
            String[] csr = new String[csrs];
            for (int i = 0; i < csrs; i++) {
                csr[i] = io.secrethub.core.pki.AgentCredentials.generate("bench-" + i).csrPem();
            }
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            before = hub.auditStats();
            run("register", callers, seconds, () -> {
                int i = next.getAndIncrement();
                if (i >= csrs) {
                    throw new IllegalStateException("out of CSRs");
                }
                hub.agents().register(token, "bench-" + i, csr[i], Map.of("zone", "bench"));
            });
            System.out.println("       audit: " + delta(before, hub.auditStats()));
            System.out.println("audit: " + hub.audit().verify().message());
        } finally {
            try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }

    private static void run(String name, int callers, int seconds, Runnable op) throws InterruptedException {
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        AtomicLong errors = new AtomicLong();
        long[][] latencies = new long[callers][];
        int[] counts = new int[callers];
        CountDownLatch done = new CountDownLatch(callers);
        for (int t = 0; t < callers; t++) {
            int id = t;
            latencies[id] = new long[200_000];
            Thread thread = new Thread(() -> {
                while (!stop.get()) {
                    long start = System.nanoTime();
                    try {
                        op.run();
                    } catch (RuntimeException e) {
                        errors.incrementAndGet();
                        continue;
                    }
                    if (measuring.get() && counts[id] < latencies[id].length) {
                        latencies[id][counts[id]++] = System.nanoTime() - start;
                    }
                }
                done.countDown();
            });
            thread.setDaemon(true);
            thread.start();
        }
        Thread.sleep(2000); // warm-up
        measuring.set(true);
        long begin = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        long elapsed = System.nanoTime() - begin;
        stop.set(true);
        done.await();
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < callers; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        System.out.printf("%s: %d callers, %,.0f ops/s, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, errors %d%n", name, callers,
                total / (elapsed / 1e9), pct(all, 0.50), pct(all, 0.95), pct(all, 0.99), errors.get());
    }

    private static AuditWriter.Stats delta(AuditWriter.Stats a, AuditWriter.Stats b) {
        return new AuditWriter.Stats(b.batches() - a.batches(), b.records() - a.records(), b.batchNanos() - a.batchNanos(),
                b.queued());
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }

    private static PGSimpleDataSource server(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        String host = System.getenv().getOrDefault("PGHOST", "127.0.0.1");
        ds.setServerNames(new String[] {host.startsWith("/") ? "127.0.0.1" : host});
        ds.setPortNumbers(new int[] {Integer.parseInt(System.getenv().getOrDefault("PGPORT", "5432"))});
        ds.setUser(System.getenv().getOrDefault("PGUSER", "postgres"));
        ds.setDatabaseName(database);
        return ds;
    }
}
