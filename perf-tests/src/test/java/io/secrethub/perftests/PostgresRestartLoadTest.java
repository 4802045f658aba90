package io.secrethub.perftests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.secrethub.core.AuditVerification;
import io.secrethub.core.LoginResult;
import io.secrethub.core.Secret;
import io.secrethub.core.SecretHub;
import io.secrethub.core.testing.PrivatePostgres;
import io.secrethub.perf.Agent;
import io.secrethub.perf.BeforeAgent;
import io.secrethub.perf.LoadTest;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.MaxErrorRate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PostgreSQL restarts under load: 100 agents run {@link AgentLoadTest}'s 70/30 read/write mix against a SecretHub
 * whose PostgreSQL is stopped ({@code pg_ctl stop -m fast}, as {@code pg_ctlcluster … restart} does), kept down for
 * {@value #OUTAGE_KEY} (default 4 s) and started again, while SecretHub keeps running. Afterwards:
 * <ul>
 *   <li>every write an agent was told succeeded (a ledger kept by the agents) is readable, with its value;</li>
 *   <li>the audit chain verifies intact, holds a success record for every acknowledged read and write, and no
 *       success record for a call whose caller got an error ({@link AuditMatch});</li>
 *   <li>throughput is back (a one-second window with at least half the median ops/s before the restart) within
 *       {@value #RECOVERY_SECONDS} s of the database accepting connections again.</li>
 * </ul>
 * A per-second timeline (ops/s, errors, the restart's events) is printed. An agent pauses
 * {@value #RETRY_PAUSE_MILLIS} ms after a failed call, as a real agent backs off before it retries.
 *
 * <p>The database is one of the test's own ({@link PrivatePostgres}, core's test fixture: the machine's PostgreSQL
 * binaries on a free port), never the shared server other suites use; without those binaries the test is skipped.
 * The hub's pool is a HikariCP pool of {@value #POOL_SIZE} with a connectionTimeout of {@value #POOL_TIMEOUT_KEY}
 * (default 5 s; {@code @PostgresDatabase} pools keep HikariCP's 30 s): how long a caller waits for a connection
 * while the database is down before it gets a {@code StorageException}.
 *
 * <p>The run lasts 45 s ({@code perf.scale} shortens it); the restart begins after {@value #RESTART_AFTER_KEY}
 * (default 12 s × {@code perf.scale}, at least 4 s): 12 s of steady state to compare with, and more than twice
 * {@value #RECOVERY_SECONDS} s after the database is back to see throughput return. Below a scale of 0.6 that
 * watch is too short to judge; CI (scale 0.3) gives the class {@code -Dperf.PostgresRestartLoadTest.duration=90s},
 * a 27 s run. What SecretHub and the pools log while the database is down (a WARN or ERROR line each) is held back
 * and printed once, grouped, after the timeline ({@link ExpectedLog}).
 */
@ExtendWith(SuiteSettings.Resolver.class)
@LongScenario
class PostgresRestartLoadTest {

    static final String OUTAGE_KEY = "secrethub.perf.restart.outage";
    static final String RESTART_AFTER_KEY = "secrethub.perf.restart.after";
    static final String POOL_TIMEOUT_KEY = "secrethub.perf.restart.poolTimeout";
    static final int POOL_SIZE = 20;
    static final int RECOVERY_SECONDS = 10;
    static final long RETRY_PAUSE_MILLIS = 200;
    private static final int SECRETS = 50;

    /** What one agent was told. Written only by its agent's thread; read after the run. */
    static final class AgentLedger {
        final String token;
        final String accessor;
        long reads;
        long writes;
        /** Acknowledged version → the write's number n (its value is {@link MixedWorkload#status}). */
        final Map<Integer, Long> acknowledged = new ConcurrentHashMap<>();

        AgentLedger(LoginResult login) {
            this.token = login.token();
            this.accessor = login.accessor();
        }
    }

    private static PrivatePostgres postgres;
    private static HikariDataSource pool;
    private static UnsealedHub vault;
    private static SecretHub hub;
    private static MixedWorkload workload;
    private static Duration outage;
    private static Duration restartAfter;
    private static final Map<Integer, AgentLedger> LEDGERS = new ConcurrentHashMap<>();
    private static final FaultTimeline TIMELINE = new FaultTimeline(Duration.ofHours(2));
    private static final AtomicLong STOPPING = new AtomicLong(-1);
    private static final AtomicLong BACK = new AtomicLong(-1);
    private static volatile Thread fault;
    private static volatile Throwable faultFailure;
    /** What is logged from the stop on: the outage's expected WARN and ERROR records. */
    private static volatile ExpectedLog outageLog;

    @BeforeAll
    static void setUp(SuiteSettings settings) {
        assumeTrue(PrivatePostgres.available(), "needs PostgreSQL's server binaries (initdb, pg_ctl) to run a"
                + " PostgreSQL of the test's own; set SECRETHUB_PG_BIN");
        outage = settings.duration(OUTAGE_KEY, Duration.ofSeconds(4));
        double scale = settings.nonNegative("perf.scale", 1);
        restartAfter = settings.duration(RESTART_AFTER_KEY,
                Duration.ofMillis(Math.max(4000, (long) (12_000 * scale))));
        Duration poolTimeout = settings.duration(POOL_TIMEOUT_KEY, Duration.ofSeconds(5));
        postgres = PrivatePostgres.create();
        pool = pool(postgres, "restart-pool", POOL_SIZE, poolTimeout);
        // Every acknowledged version stays readable: none is pruned.
        vault = UnsealedHub.open(SecretHub.builder().dataSource(pool).defaultMaxVersions(1_000_000), settings);
        hub = vault.hub();
        workload = MixedWorkload.prepare(hub, vault.rootToken(), SECRETS);
    }

    /** A HikariCP pool on {@code postgres} (its own database, so the test may restart it). */
    static HikariDataSource pool(PrivatePostgres postgres, String name, int size, Duration connectionTimeout) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.jdbcUrl());
        config.setUsername(postgres.user());
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        return new HikariDataSource(config);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (outageLog != null) {
            outageLog.close();
        }
        UnsealedHub.close(vault, pool, postgres);
    }

    @BeforeAgent
    void login(Agent agent) {
        LEDGERS.computeIfAbsent(agent.id(), id -> new AgentLedger(workload.login(id)));
    }

    @LoadTest(agents = 100, duration = "45s")
    // Calls fail while the database is down: at once (SecretHub fails closed when its audit log cannot write) or
    // after the pool's timeout, so the share of failures says how long the outage was, not how well SecretHub
    // behaved. What this suite gates is checked after the run: no failure before the restart, recovery, the ledger
    // and the audit log.
    @MaxErrorRate(100)
    void mixedWorkloadThroughRestart(Agent agent) {
        if (TIMELINE.start()) {
            fault = new Thread(PostgresRestartLoadTest::restartDatabase, "postgres-restart");
            fault.setDaemon(true);
            fault.start();
        }
        AgentLedger ledger = LEDGERS.get(agent.id());
        try {
            if (MixedWorkload.nextIsRead(agent.random())) {
                int n = workload.randomSecret(agent.random());
                Secret secret = agent.time("read", () -> SecretReads.read(hub, ledger.token,
                        ConfigSecrets.configPath(n)));
                ledger.reads++;
                ConfigSecrets.requireConfigValue(secret, n);
            } else {
                long n = ++ledger.writes;
                int version = agent.time("write", () -> workload.write(ledger.token, agent.id(), n)).version();
                ledger.acknowledged.put(version, n);
            }
            TIMELINE.success();
        } catch (RuntimeException | Error e) {
            TIMELINE.error(e);
            pauseAfterFailure();
            throw e;
        } catch (Exception e) {
            TIMELINE.error(e);
            pauseAfterFailure();
            throw new IllegalStateException(e);
        }
    }

    /**
     * An agent waits {@value #RETRY_PAUSE_MILLIS} ms after a failed call before its next one, as a real agent
     * backs off: SecretHub fails calls at once while the database is down, and 100 agents retrying in a tight loop
     * would only measure how fast a 2-core machine can throw exceptions (and starve the database's own restart).
     */
    private static void pauseAfterFailure() {
        try {
            Thread.sleep(RETRY_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void restartDatabase() {
        try {
            Thread.sleep(restartAfter.toMillis());
            outageLog = ExpectedLog.capture();
            STOPPING.set(TIMELINE.mark("database stopping"));
            postgres.stop();
            TIMELINE.mark("database down");
            Thread.sleep(outage.toMillis());
            TIMELINE.mark("database starting");
            postgres.start();
            BACK.set(TIMELINE.mark("database back"));
        } catch (Throwable e) {
            faultFailure = e;
        }
    }

    @AfterEach
    void check(LoadTestResult result) throws Exception {
        long end = TIMELINE.now();
        if (fault != null) {
            fault.join(120_000);
        }
        assertThat(faultFailure).as("the restart itself failed").isNull();
        assertThat(BACK.get()).as("the database was restarted during the run (a longer run: perf.scale)")
                .isPositive().isLessThan(end);
        List<String> problems = new ArrayList<>();

        double baseline = TIMELINE.medianPerSecond(1_000_000_000L, STOPPING.get());
        Optional<Duration> recovery = TIMELINE.recoveredAfter(BACK.get(), end, baseline / 2);
        System.out.print(TIMELINE.table("== PostgresRestartLoadTest: per-second timeline (ops/s = successful calls)",
                end));
        System.out.printf("[pg restart] before the restart: median %,.0f ops/s; database down %.1f s (stop at %.1f s,"
                + " back at %.1f s); throughput back to >= %,.0f ops/s %s; %,d calls failed%s%n",
                baseline, (BACK.get() - STOPPING.get()) / 1e9, STOPPING.get() / 1e9, BACK.get() / 1e9, baseline / 2,
                recovery.map(d -> String.format("%.1f s after the database was back", d.toMillis() / 1e3))
                        .orElse("NOT within the run"),
                TIMELINE.totalErrors(), TIMELINE.totalErrors() == 0 ? "" : ": " + TIMELINE.errorSummary());
        if (outageLog != null) {
            outageLog.report("[pg restart] logged from the stop on, as expected while the database is down:");
        }
        long before = TIMELINE.errorsIn(0, STOPPING.get());
        if (before > 0) {
            problems.add(before + " calls failed before the database was stopped");
        }
        if (recovery.isEmpty()) {
            problems.add(end - BACK.get() < RECOVERY_SECONDS * 1_000_000_000L
                    ? "throughput did not come back in the " + (end - BACK.get()) / 1_000_000 + " ms the run lasted"
                            + " after the database was back: run longer (perf.scale) to see it"
                    : "throughput did not come back within " + RECOVERY_SECONDS + " s of the database being back");
        } else if (recovery.get().compareTo(Duration.ofSeconds(RECOVERY_SECONDS)) > 0) {
            problems.add("throughput came back " + recovery.get().toMillis() + " ms after the database, more than "
                    + RECOVERY_SECONDS + " s");
        }

        long checked = checkLedger(problems);
        AuditVerification verification = hub.audit().verify(vault.rootToken());
        if (!verification.intact()) {
            problems.add("audit chain not intact: " + verification.message());
        }
        List<AuditMatch.Expected> expected = new ArrayList<>();
        LEDGERS.forEach((id, l) -> expected.add(new AuditMatch.Expected("agent " + id, l.accessor, l.reads,
                List.copyOf(l.acknowledged.keySet()))));
        AuditMatch.Outcome audit = AuditMatch.match(hub, vault.rootToken(), expected);
        System.out.printf("[pg restart] ledger: %,d acknowledged writes read back with their values; audit chain %s"
                + " (%,d records); %s%n", checked, verification.intact() ? "intact" : "BROKEN",
                verification.recordsChecked(), audit);
        if (audit.missing() > 0 || audit.unacknowledgedSuccesses() > 0) {
            problems.add("audit log does not match what callers were told: " + audit);
        }
        assertThat(problems).as("PostgreSQL restart under load").isEmpty();
    }

    /** Reads back every acknowledged write (in parallel: there are thousands); returns how many. */
    private static long checkLedger(List<String> problems) throws Exception {
        ExecutorService readers = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> checks = new ArrayList<>();
            LEDGERS.forEach((id, ledger) -> ledger.acknowledged.forEach((version, n) -> checks.add(readers.submit(
                    () -> {
                        Secret secret = hub.secrets().read(vault.rootToken(), MixedWorkload.statusPath(id), version);
                        return secret.data().equals(MixedWorkload.status(id, n)) ? null
                                : "agent " + id + " version " + version + " holds another value than acknowledged";
                    }))));
            long wrong = 0;
            for (Future<String> check : checks) {
                String problem;
                try {
                    problem = check.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    problem = "an acknowledged write could not be read back: " + e.getCause();
                }
                if (problem != null && wrong++ < 5) {
                    problems.add(problem);
                }
            }
            return checks.size();
        } finally {
            readers.shutdownNow();
        }
    }
}
