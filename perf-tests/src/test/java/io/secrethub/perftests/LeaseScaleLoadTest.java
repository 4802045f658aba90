package io.secrethub.perftests;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.AppRoleSettings;
import io.secrethub.core.LeaseStats;
import io.secrethub.core.Secret;
import io.secrethub.core.SecretHub;
import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import io.secrethub.perf.Agent;
import io.secrethub.perf.BeforeAgent;
import io.secrethub.perf.LoadTest;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.MaxErrorRate;
import io.secrethub.perf.db.PostgresDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lease management at scale, where Vault's users hurt most: start-up that grows with the number of leases, and
 * mass expiry that overloads the server.
 * <ol>
 *   <li>{@link #readyWithNoLeases} and, after {@link #bulkInsertLeases} has written {@value #LEASES_KEY} leases
 *       (default 1,000,000), {@link #readyWithAllLeases}: a fresh instance on the same database is built, unsealed
 *       and serves its first authenticated read (operation {@code ready}, median of the iterations). SecretHub
 *       loads no lease at start-up, so the two must be about the same: checked as at most 3x plus 250 ms.</li>
 *   <li>{@link #readsWithoutExpiryStorm}: agents read secrets at a steady 5,000/s (open model, latency from each
 *       read's intended start); their p99 is the baseline. A steady rate, not a closed loop: agents read at their
 *       own pace, and a closed loop with no think time would keep both cores busy with reads alone, so the
 *       comparison would measure the revoker's share of the CPU rather than whether revocation gets in the way.
 *       The phase is shorter than the storm, so the storm covers most of it.</li>
 *   <li>{@link #readsDuringExpiryStorm}: {@value #STORM_KEY} leases (default a tenth) expire at once, at the end
 *       of the phase's warm-up, and the running instance's expiration manager revokes them (production defaults:
 *       polls every second, concurrency 2, batches of 500, duty cycle 0.25) while the agents read. Checked: the reads' p99 stays
 *       within 2x the baseline; printed: the revocation throughput (storm leases / time from their expiry to the
 *       last revocation) and how much of the measured reads the storm covered.</li>
 * </ol>
 * The bulk leases are token leases written by {@link BulkLeases} (see there for what is and is not materialized).
 *
 * <p>Settings: {@value #LEASES_KEY}, {@value #STORM_KEY}; the read phases' agents and duration as usual
 * ({@code perf.LeaseScaleLoadTest.agents} applies to every phase; the ready-time phases measure on agent 0 only).
 */
@PostgresDatabase
@ExtendWith(SuiteSettings.Resolver.class)
@TestMethodOrder(OrderAnnotation.class)
class LeaseScaleLoadTest {

    static final String LEASES_KEY = "secrethub.perf.leases";
    static final String STORM_KEY = "secrethub.perf.leases.storm";
    static final int DEFAULT_LEASES = 1_000_000;
    private static final int SECRETS = 50;
    private static final double MAX_READY_RATIO = 3.0;
    private static final Duration READY_SLACK = Duration.ofMillis(250);
    private static final double MAX_P99_RATIO = 2.0;
    private static final Duration STORM_WAIT = Duration.ofMinutes(10);
    /** The read phases' warm-up: the storm leases expire when it ends, so the storm falls in the measured part. */
    private static final Duration STORM_DELAY = Duration.ofSeconds(5);
    private static final String TOKEN = "token";

    private static UnsealedHub vault;
    private static SecretHub hub;
    private static DataSource database;
    private static int leases;
    private static int storm;
    private static String readerRoleId;
    private static final AtomicBoolean INSERTED = new AtomicBoolean();
    private static Duration readyEmpty;
    private static Duration baselineP99;
    private static Instant stormStart;
    private static LeaseStats statsBeforeStorm;

    @BeforeAll
    static void setUp(DataSource dataSource, SuiteSettings settings) {
        database = dataSource;
        leases = settings.positiveInt(LEASES_KEY, DEFAULT_LEASES);
        storm = Math.min(leases, settings.positiveInt(STORM_KEY, Math.max(1, leases / 10)));
        vault = UnsealedHub.open(dataSource, settings);
        hub = vault.hub();
        String root = vault.rootToken();
        for (int i = 0; i < SECRETS; i++) {
            hub.secrets().write(root, ConfigSecrets.configPath(i), ConfigSecrets.configValue(i));
        }
        hub.policies().write(root, Policy.builder("reader").path("secret/data/app/*", Capability.READ).build());
        hub.auth().appRole().writeRole(root, "reader", AppRoleSettings.builder().policies("reader")
                .tokenTtl(Registrar.TOKEN_TTL).tokenMaxTtl(Registrar.TOKEN_TTL).build());
        readerRoleId = hub.auth().appRole().roleId(root, "reader");
    }

    @AfterAll
    static void tearDown() {
        if (vault != null) {
            vault.close();
        }
    }

    @BeforeAgent
    void logIn(Agent agent) {
        agent.state().computeIfAbsent(TOKEN, key -> hub.auth().appRole().login(readerRoleId,
                hub.auth().appRole().generateSecretId(vault.rootToken(), "reader").secretId(), null).token());
    }

    @Order(1)
    @LoadTest(agents = 1, iterations = 10, warmup = "5")
    @MaxErrorRate(0)
    void readyWithNoLeases(Agent agent) throws Exception {
        timeReady(agent);
    }

    @Order(2)
    @LoadTest(agents = 1, iterations = 1)
    @MaxErrorRate(0)
    void bulkInsertLeases(Agent agent) throws Exception {
        if (agent.id() == 0 && INSERTED.compareAndSet(false, true)) {
            agent.time("insert", () -> BulkLeases.insert(database, leases, storm));
        }
    }

    @Order(3)
    @LoadTest(agents = 1, iterations = 10, warmup = "5")
    @MaxErrorRate(0)
    void readyWithAllLeases(Agent agent) throws Exception {
        timeReady(agent);
    }

    @Order(4)
    @LoadTest(agents = 50, rate = 5000, duration = "8s", warmup = "3s")
    @MaxErrorRate(0)
    void readsWithoutExpiryStorm(Agent agent) {
        read(agent);
    }

    @Order(5)
    @LoadTest(agents = 50, rate = 5000, duration = "8s", warmup = "3s")
    @MaxErrorRate(0)
    void readsDuringExpiryStorm(Agent agent) {
        read(agent);
    }

    @BeforeEach
    void startStormBeforeItsPhase(TestInfo test) throws SQLException {
        if (!test.getTestMethod().orElseThrow().getName().equals("readsDuringExpiryStorm")) {
            return;
        }
        statsBeforeStorm = hub.leaseStats();
        Instant updating = Instant.now();
        stormStart = updating.plus(STORM_DELAY);
        int expired = BulkLeases.expireStorm(database, stormStart);
        System.out.printf("[lease scale] %,d of %,d leases set to expire at once, %d s from now (the UPDATE took"
                + " %.1f s)%n", expired, BulkLeases.count(database), STORM_DELAY.toSeconds(),
                Duration.between(updating, Instant.now()).toMillis() / 1000.0);
        assertThat(expired).as("storm leases").isEqualTo(storm);
    }

    @AfterEach
    void check(LoadTestResult result, TestInfo test) throws SQLException {
        switch (test.getTestMethod().orElseThrow().getName()) {
            case "readyWithNoLeases" -> readyEmpty = readyTime(result);
            case "readyWithAllLeases" -> checkReadyTime(readyTime(result));
            case "readsWithoutExpiryStorm" -> baselineP99 = result.latency().p99();
            case "readsDuringExpiryStorm" -> checkStorm(result.latency().p99(), Instant.now());
            default -> { }
        }
    }

    private void checkReadyTime(Duration readyFull) throws SQLException {
        assertThat(readyEmpty).as("readyWithNoLeases must run first, in the same run").isNotNull();
        long count = BulkLeases.count(database);
        System.out.printf("[lease scale] fresh instance ready (build + unseal + first read, median): %d ms with no"
                + " leases, %d ms with %,d leases (%.2fx)%n", readyEmpty.toMillis(), readyFull.toMillis(), count,
                (double) readyFull.toNanos() / readyEmpty.toNanos());
        assertThat(count).isGreaterThanOrEqualTo(leases);
        Duration limit = Duration.ofNanos((long) (readyEmpty.toNanos() * MAX_READY_RATIO)).plus(READY_SLACK);
        assertThat(readyFull).as("ready time with %,d leases (no more than %.0fx + %d ms of the empty database's)",
                count, MAX_READY_RATIO, READY_SLACK.toMillis()).isLessThanOrEqualTo(limit);
    }

    private void checkStorm(Duration stormP99, Instant readsEnded) throws SQLException {
        assertThat(baselineP99).as("readsWithoutExpiryStorm must run first, in the same run").isNotNull();
        long deadline = System.nanoTime() + STORM_WAIT.toNanos();
        BulkLeases.StormProgress progress = BulkLeases.stormProgress(database);
        while (progress.pending() > 0 && System.nanoTime() < deadline) {
            sleep(250);
            progress = BulkLeases.stormProgress(database);
        }
        assertThat(progress.pending()).as("storm leases still not revoked after " + STORM_WAIT).isZero();
        Duration revocation = Duration.between(stormStart, progress.lastRevokedAt());
        LeaseStats stats = hub.leaseStats();
        double perSecond = storm / (revocation.toMillis() / 1000.0);
        Duration reads = Duration.between(stormStart, readsEnded);
        System.out.printf("[lease scale] %,d expired leases revoked in %.1f s: %,.0f leases/s (%,d revoked,"
                + " %d failed attempts on this instance); the storm covered %.0f%% of the %.1f s measured reads%n", storm,
                revocation.toMillis() / 1000.0, perSecond, stats.revoked() - statsBeforeStorm.revoked(),
                stats.failedAttempts() - statsBeforeStorm.failedAttempts(),
                Math.min(100.0, 100.0 * revocation.toMillis() / reads.toMillis()), reads.toMillis() / 1000.0);
        System.out.printf("[lease scale] reads p99: %.2f ms without the storm, %.2f ms during it (%.2fx; limit %.0fx)%n",
                baselineP99.toNanos() / 1e6, stormP99.toNanos() / 1e6,
                (double) stormP99.toNanos() / baselineP99.toNanos(), MAX_P99_RATIO);
        assertThat(stats.failedAttempts() - statsBeforeStorm.failedAttempts()).as("failed revocation attempts").isZero();
        assertThat(stormP99).as("reads' p99 during the expiry storm (baseline %.2f ms)", baselineP99.toNanos() / 1e6)
                .isLessThanOrEqualTo(Duration.ofNanos((long) (baselineP99.toNanos() * MAX_P99_RATIO)));
    }

    /** Build, unseal and first authenticated read of a fresh instance, on agent 0 only (whatever the agent count). */
    private static void timeReady(Agent agent) throws Exception {
        if (agent.id() != 0) {
            return;
        }
        SecretHub fresh = agent.time("ready", () -> {
            SecretHub instance = SecretHub.builder().dataSource(database).build();
            UnsealedHub.unseal(instance, vault.shares());
            ConfigSecrets.requireConfigValue(instance.secrets().read(vault.rootToken(), ConfigSecrets.configPath(0)), 0);
            return instance;
        });
        fresh.close();
    }

    private static Duration readyTime(LoadTestResult result) {
        return result.operation("ready").orElseThrow(() -> new AssertionError("no ready samples")).latency().p50();
    }

    private static void read(Agent agent) {
        int n = agent.random().nextInt(SECRETS);
        Secret secret = hub.secrets().read((String) agent.state().get(TOKEN), ConfigSecrets.configPath(n));
        ConfigSecrets.requireConfigValue(secret, n);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
