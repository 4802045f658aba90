package io.secrethub.perftests;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.AuditStats;
import io.secrethub.core.AuditVerification;
import io.secrethub.core.SecretHub;
import io.secrethub.perf.Agent;
import io.secrethub.perf.LoadTest;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.MaxErrorRate;
import io.secrethub.perf.MaxP99;
import io.secrethub.perf.MinThroughput;
import io.secrethub.perf.db.PostgresDatabase;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Audit log write throughput: many agents write secrets at once, and every write is acknowledged only after its
 * audit record is durable (fail closed), so the writes' throughput is the audit log's. SecretHub batches the
 * records of concurrent callers into one transaction (group commit); this suite shows that it does, and that the
 * hash chain comes out intact after the load.
 *
 * <p>Agents, writes per agent and scale as in {@link AgentLoadTest} ({@code perf.AuditLoadTest.agents}, …).
 */
@PostgresDatabase
@ExtendWith(SuiteSettings.Resolver.class)
class AuditLoadTest {

    private static UnsealedHub vault;
    private static SecretHub hub;
    /** Audit records the measured writes produced, at least: one per successful write. */
    private static long auditedWrites;

    @BeforeAll
    static void setUp(DataSource dataSource, SuiteSettings settings) {
        vault = UnsealedHub.open(dataSource, settings);
        hub = vault.hub();
    }

    /**
     * The root token skips no audit: what this measures (record, chain, commit) is the same for every caller,
     * and the root token keeps this suite independent of policies and logins.
     */
    // The p99 target is loose on purpose: 100 writers queue for 19 pooled connections (the audit writer holds the
    // 20th), so the tail is queueing, not the audit commit itself (the group-commit figures printed after the run
    // show a batch taking milliseconds). What must hold is that nobody gets near the 10 s audit timeout, at which
    // SecretHub fails closed.
    @LoadTest(agents = 100, iterations = 20)
    @MinThroughput(200)
    @MaxP99("2s")
    @MaxErrorRate(0)
    void auditedWrites(Agent agent) {
        // One path per agent: writers contend on the audit chain, not on a secret's version counter.
        hub.secrets().write(vault.rootToken(), "app/audit/agent-" + agent.id(),
                Map.of("iteration", Long.toString(agent.iteration())));
    }

    @AfterEach
    void count(LoadTestResult result) {
        auditedWrites += result.successCount();
        AuditStats stats = hub.auditStats();
        System.out.println("audit group commit: " + stats);
        // 100 callers waiting on their records at once must share commits; one commit per record would mean
        // the audit log caps throughput at the database's commit rate.
        assertThat(stats.recordsPerBatch()).as("audit records per group commit").isGreaterThan(1.0);
    }

    @AfterAll
    static void verifyChain() {
        if (vault == null) {
            return; // set-up failed (no database, say): that failure is the one to read
        }
        try {
            AuditVerification verification = hub.audit().verify(vault.rootToken());
            assertThat(verification.intact()).as(verification.message()).isTrue();
            assertThat(verification.recordsChecked()).as("records in the chain").isGreaterThanOrEqualTo(auditedWrites);
        } finally {
            vault.close();
        }
    }
}
