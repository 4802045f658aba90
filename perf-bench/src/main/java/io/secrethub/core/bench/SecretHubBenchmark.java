package io.secrethub.core.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.secrethub.core.AgentCredentials;
import io.secrethub.core.AppRoleSettings;
import io.secrethub.core.AuditStats;
import io.secrethub.core.InitResult;
import io.secrethub.core.SecretHub;
import io.secrethub.core.SecretHubBuilder;
import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * SecretHub's throughput with audit on, printed beside what the database alone does in the same run (never
 * asserted: speed belongs here, not in unit tests). N callers read, write, log in with AppRole and register
 * agents through one instance; then, when {@code pgbench} is installed, pgbench's select-only and single-insert
 * TPS with as many connections as SecretHub's pool, and the ratios. The ratios are the figures to compare across
 * machines: they say how much the audit, crypto and policy checks cost over the bare database.
 *
 * <p>Run with {@code perf-bench/bench.sh [callers=100] [seconds=10] [poolSize=32]} (it builds perf-bench's jar
 * and calls this {@code main}); {@code JAVA_OPTS="-Dbench.phases=read"} picks phases, {@code -Dbench.jfr=DIR}
 * records each phase's measured part with JDK Flight Recorder. Each phase warms up for 2 s
 * ({@code -Dbench.warmup=S}) before it measures, and prints what one operation cost ({@link OpCosts}: CPU in this
 * JVM and in PostgreSQL, round trips, allocation). A concurrent driver rather than JMH: the figures are a server's
 * throughput and latency percentiles under many callers, beside pgbench's on the same server.
 */
public final class SecretHubBenchmark {

    /** One phase's figures. */
    private record Figures(String name, double opsPerSecond, double p50, double p95, double p99, long errors,
            String costs) {
        @Override
        public String toString() {
            return String.format("%-8s %,10.0f ops/s   p50 %6.2f ms   p95 %6.2f ms   p99 %6.2f ms   errors %d%n"
                    + "         %s", name, opsPerSecond, p50, p95, p99, errors, costs);
        }
    }

    /** {@code -Dbench.phases=read,login} runs only those phases (default all), e.g. to profile one. */
    private static final List<String> PHASES =
            List.of(System.getProperty("bench.phases", "read,write,login,register").split(","));

    /** {@code -Dbench.warmup=S}: seconds each phase runs unmeasured first (default 2). */
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup", 2);

    /**
     * {@code -Dsecrethub.maxConcurrentRequests=N}: the instance's request queue ({@code SecretHubBuilder
     * .maxConcurrentRequests}, 0 for none), named as in the perf-tests suites; default the builder's.
     */
    private static final Integer MAX_CONCURRENT_REQUESTS = Integer.getInteger("secrethub.maxConcurrentRequests");

    private static SecretHubBuilder builder(HikariDataSource ds) {
        SecretHubBuilder builder = SecretHub.builder().dataSource(ds);
        return MAX_CONCURRENT_REQUESTS == null ? builder : builder.maxConcurrentRequests(MAX_CONCURRENT_REQUESTS);
    }

    public static void main(String[] args) throws Exception {
        int callers = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int poolSize = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        String db = "secrethub_bench_" + Long.toHexString(System.nanoTime());
        PGSimpleDataSource admin = BenchServer.dataSource("postgres");
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        System.out.printf("SecretHub benchmark: %d callers, %d s per phase after %d s of warm-up, pool of %d "
                + "connections, Java %s, %d cores%n", callers, seconds, WARMUP_SECONDS, poolSize, Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        if (System.getProperty("bench.jfr") != null) {
            // Enabling JFR's events retransforms JDK classes (sockets, files) and so deoptimizes the code that
            // inlined them: a recording that starts with the measured part measures the recompilation. This one,
            // never written, turns them on before any phase.
            startRecording();
        }
        List<Figures> results = new ArrayList<>();
        HikariConfig config = new HikariConfig();
        config.setDataSource(CountingConnections.of(db));
        config.setMaximumPoolSize(poolSize);
        try (HikariDataSource ds = new HikariDataSource(config); SecretHub hub = builder(ds).build()) {
            InitResult init = hub.sys().initialize(1, 1);
            hub.sys().unseal(init.shares().get(0));
            String token = init.rootToken();
            int paths = 1000;
            for (int i = 0; i < paths; i++) {
                hub.secrets().write(token, "bench/s" + i, Map.of("password", "value-" + i));
            }
            results.add(phase(hub, "read", callers, seconds,
                    () -> hub.secrets().read(token, "bench/s" + ThreadLocalRandom.current().nextInt(paths))));
            results.add(phase(hub, "write", callers, seconds, () -> hub.secrets().write(token,
                    "bench/s" + ThreadLocalRandom.current().nextInt(paths),
                    Map.of("password", "v" + ThreadLocalRandom.current().nextLong()))));

            // AppRole logins: unlimited secret_id, so every login spends no use (the common fleet setup)
            hub.policies().write(token, Policy.builder("bench").path("secret/data/bench/*", Capability.READ).build());
            hub.auth().appRole().writeRole(token, "bench", AppRoleSettings.builder().policies("bench").build());
            String roleId = hub.auth().appRole().roleId(token, "bench");
            String secretId = hub.auth().appRole().generateSecretId(token, "bench").secretId();
            results.add(phase(hub, "login", callers, seconds, ()
                    -> hub.auth().appRole().login(roleId, secretId, "10.0.0.1")));

            // Registrations: CSRs made up front, since a real agent makes its own key. Enough for warm-up and
            // measurement at 3,000/s; a phase that runs out counts the rest as errors and says so.
            int csrs = PHASES.contains("register")
                    ? Integer.getInteger("bench.csrs", 3000 * (seconds + WARMUP_SECONDS)) : 0;
            if (csrs > 0) {
                System.out.printf("making %,d agent CSRs (the agents' own work, not measured)%n", csrs);
            }
            String[] csr = new String[csrs];
            IntStream.range(0, csrs).parallel().forEach(i -> csr[i] = AgentCredentials.generate("bench-" + i).csrPem());
            AtomicInteger next = new AtomicInteger();
            results.add(phase(hub, "register", callers, seconds, () -> {
                int i = next.getAndIncrement();
                if (i >= csrs) {
                    throw new IllegalStateException("out of CSRs: raise -Dbench.csrs");
                }
                hub.agents().register(token, "bench-" + i, csr[i], Map.of("zone", "bench"));
            }));
            System.out.println("audit chain after the run: " + hub.audit().verify(token).message());
        }
        try {
            Pgbench pgbench = Pgbench.find(admin);
            if (pgbench == null) {
                System.out.println("pgbench is not installed: no database baseline (apt-get install "
                        + "postgresql-client)");
            } else {
                pgbench.initialize(db);
                awaitNoSessions(admin, db); // SecretHub's backends gone, so their time is not counted below
                long cpu0 = OpCosts.postgresCpu();
                double select = pgbench.selectOnly(db, poolSize, seconds);
                awaitNoSessions(admin, db); // pgbench's backends too: each window gets its own backends' time
                long cpu1 = OpCosts.postgresCpu();
                double insert = pgbench.singleInsert(db, poolSize, seconds);
                awaitNoSessions(admin, db);
                long cpu2 = OpCosts.postgresCpu();
                System.out.printf("%npgbench on the same server, %d connections (SecretHub's pool), %d s each:%n",
                        poolSize, seconds);
                System.out.printf("  select-only   %,10.0f tps   PostgreSQL CPU %s per transaction%n"
                        + "  single insert %,10.0f tps   PostgreSQL CPU %s per transaction%n",
                        select, perTransaction(cpu1 - cpu0, select * seconds, cpu0 >= 0),
                        insert, perTransaction(cpu2 - cpu1, insert * seconds, cpu0 >= 0));
                ratio("read / pgbench select-only", results.get(0), select);
                ratio("write / pgbench insert", results.get(1), insert);
                ratio("login / pgbench insert", results.get(2), insert);
                ratio("register / pgbench insert", results.get(3), insert);
            }
        } finally {
            try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
        System.out.println();
        results.stream().filter(f -> PHASES.contains(f.name())).forEach(System.out::println);
    }

    /**
     * Waits until no session is connected to {@code db}, then a little longer: a backend that has exited but not yet
     * been reaped by the postmaster is in neither its own nor the postmaster's CPU time for a moment.
     */
    private static void awaitNoSessions(PGSimpleDataSource admin, String db) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        try (Connection c = admin.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, db);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        break;
                    }
                }
                Thread.sleep(50);
            }
        }
        Thread.sleep(500);
    }

    private static String perTransaction(long cpuNanos, double transactions, boolean known) {
        return known && transactions > 0 ? String.format("%.0f µs", cpuNanos / 1e3 / transactions) : "n/a";
    }

    private static void ratio(String what, Figures ours, double pgbenchTps) {
        if (PHASES.contains(ours.name())) {
            System.out.printf("ratio: SecretHub %s = %.2f%n", what, ours.opsPerSecond() / pgbenchTps);
        }
    }

    private static Figures phase(SecretHub hub, String name, int callers, int seconds,
            Runnable op) throws InterruptedException {
        if (!PHASES.contains(name)) {
            return new Figures(name, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, "");
        }
        AuditStats before = hub.auditStats();
        Figures figures = run(name, callers, seconds, op);
        AuditStats after = hub.auditStats();
        System.out.println(figures);
        System.out.println("         audit: " + after.since(before));
        return figures;
    }

    private static Figures run(String name, int callers, int seconds, Runnable op) throws InterruptedException {
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
                        if (measuring.get()) {
                            errors.incrementAndGet();
                        }
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
        Thread.sleep(WARMUP_SECONDS * 1000L);
        Recording recording = startRecording();
        OpCosts.Snapshot first = OpCosts.Snapshot.now();
        measuring.set(true);
        long begin = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        long elapsed = System.nanoTime() - begin;
        OpCosts.Snapshot last = OpCosts.Snapshot.now();
        stopRecording(recording, name);
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
        long ops = total + errors.get(); // the operations the window's costs were spent on
        return new Figures(name, total / (elapsed / 1e9), pct(all, 0.50), pct(all, 0.95), pct(all, 0.99), errors.get(),
                first.perOp(last, ops));
    }

    /** {@code -Dbench.jfr=DIR}: a JDK Flight Recording (the "profile" settings) of each phase's measured part. */
    private static Recording startRecording() {
        if (System.getProperty("bench.jfr") == null) {
            return null;
        }
        try {
            Recording recording = new Recording(Configuration.getConfiguration("profile"));
            // "profile" samples every 10 ms, about 16 samples a second here: too few to say where 50 µs go
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            recording.start();
            return recording;
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("cannot start JFR: " + e.getMessage(), e);
        }
    }

    private static void stopRecording(Recording recording, String phase) {
        if (recording == null) {
            return;
        }
        Path file = Path.of(System.getProperty("bench.jfr"), phase + ".jfr");
        try (recording) {
            Files.createDirectories(file.getParent());
            recording.stop();
            recording.dump(file);
            System.out.println("         profile: " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }

}
