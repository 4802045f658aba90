package io.secrethub.core.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.LeaseState;
import io.secrethub.core.storage.Database;
import io.secrethub.core.storage.Migrations;
import io.secrethub.perf.db.PostgresDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The claim query itself, raced by several connections the way instances sharing a database race:
 * every due lease is claimed exactly once while its claim holds, a claim that outlives its holder is
 * taken over, and the late holder's result is then fenced off.
 */
@PostgresDatabase
class LeaseClaimTest {

    static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    static Database database;

    @BeforeAll
    static void schema(DataSource db) {
        Migrations.apply(db);
        database = new Database(db);
    }

    static List<String> insertDue(String prefix, int count) {
        List<String> ids = new ArrayList<>();
        database.transaction("insert leases", c -> {
            for (int i = 0; i < count; i++) {
                String id = LeaseIds.newId(prefix);
                ids.add(id);
                LeaseStore.insert(c, new NewLease(id, "token", NOW.minusSeconds(120), Duration.ofMinutes(1),
                        NOW.minusSeconds(60 - i % 30), null, true, null, null));
            }
            return null;
        });
        return ids;
    }

    @Test
    void concurrentClaimersNeverClaimTheSameLease() throws Exception {
        List<String> ids = insertDue("race", 1000);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<String> duplicates = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> claimers = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                claimers.add(pool.submit(() -> {
                    start.await();
                    int claimed = 0;
                    for (int round = 0; round < 1000; round++) {
                        List<ClaimedLease> batch = database.autocommit("claim",
                                c -> LeaseStore.claim(c, NOW, NOW.plus(Duration.ofMinutes(5)), 7));
                        if (batch.isEmpty()) {
                            return claimed;
                        }
                        for (ClaimedLease lease : batch) {
                            if (!seen.add(lease.leaseId())) {
                                synchronized (duplicates) {
                                    duplicates.add(lease.leaseId());
                                }
                            }
                        }
                        claimed += batch.size();
                    }
                    throw new AssertionError("claims never ran dry: leases are being claimed again");
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : claimers) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            assertThat(duplicates).isEmpty();
            assertThat(total).isEqualTo(ids.size());
            assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClaimThatOutlivesItsHolderIsTakenOverAndTheLateResultIsFencedOff() {
        insertDue("takeover", 1);
        Instant until = NOW.plus(Duration.ofMinutes(5));
        List<ClaimedLease> first = claimUnder("takeover/", NOW, until);
        assertThat(first).hasSize(1);
        assertThat(first.get(0).attempts()).isEqualTo(1);
        assertThat(claimUnder("takeover/", NOW.plus(Duration.ofMinutes(4)), until.plus(Duration.ofMinutes(4))))
                .as("held by the first claim").isEmpty();

        Instant later = until.plusSeconds(1);
        List<ClaimedLease> second = claimUnder("takeover/", later, later.plus(Duration.ofMinutes(5)));
        assertThat(second).extracting(ClaimedLease::leaseId).containsExactly(first.get(0).leaseId());
        assertThat(second.get(0).attempts()).isEqualTo(2);

        int late = database.autocommit("late result", c -> LeaseStore.markRevoked(c, first, later));
        assertThat(late).as("the first holder's late result").isZero();
        int current = database.autocommit("current result", c -> LeaseStore.markRevoked(c, second, later));
        assertThat(current).isEqualTo(1);
    }

    @Test
    void leasesNotYetDueAreNotClaimed() {
        String id = LeaseIds.newId("future");
        database.autocommit("insert", c -> {
            LeaseStore.insert(c, new NewLease(id, "token", NOW, Duration.ofMinutes(1), NOW.plusSeconds(60), null, true,
                    null, null));
            return null;
        });
        assertThat(claimUnder("future/", NOW.plusSeconds(59), NOW.plusSeconds(600))).isEmpty();
        assertThat(claimUnder("future/", NOW.plusSeconds(60), NOW.plusSeconds(600)))
                .extracting(ClaimedLease::leaseId).containsExactly(id);
    }

    /**
     * The expiration manager's one-transaction revocation: leases it holds locked are skipped by every other claimer
     * (another instance's lock or claim) without anything written to them, and if it dies before its commit (its
     * connection closes mid-transaction, as when the instance is killed) they are simply due again, for whoever comes
     * next, with no attempt counted. Committed, the revocation is one write: revoked, attempt counted, not due.
     */
    @Test
    void leasesLockedForARevocationAreSkippedByOthersAndDueAgainIfItsTransactionDies() throws Exception {
        List<String> ids = insertDue("locked", 3);
        try (Connection dying = database.dataSource().getConnection()) {
            dying.setAutoCommit(false);
            List<ClaimedLease> locked = LeaseStore.lockDue(dying, NOW, 10_000).stream()
                    .filter(l -> l.leaseId().startsWith("locked/")).toList();
            assertThat(locked).extracting(ClaimedLease::leaseId).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(locked).extracting(ClaimedLease::attempts).containsOnly(1);
            assertThat(LeaseStore.revokeLocked(dying, locked, NOW)).isEqualTo(3);
            List<ClaimedLease> others = database.transaction("lock too",
                    c -> LeaseStore.lockDue(c, NOW, 10_000));
            assertThat(others).extracting(ClaimedLease::leaseId).doesNotContainAnyElementsOf(ids);
            assertThat(claimUnder("locked/", NOW, NOW.plus(Duration.ofMinutes(5)))).as("skipped by a claim").isEmpty();
            // the instance dies here: its connection closes without a commit
        }
        List<ClaimedLease> afterDeath = claimUnder("locked/", NOW, NOW.plus(Duration.ofMinutes(5)));
        assertThat(afterDeath).extracting(ClaimedLease::leaseId).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(afterDeath).extracting(ClaimedLease::attempts).as("nothing was recorded").containsOnly(1);
        database.autocommit("hand back", c -> LeaseStore.release(c, afterDeath, NOW));

        int revoked = database.transaction("revoke in one transaction", c -> LeaseStore.revokeLocked(c,
                LeaseStore.lockDue(c, NOW, 10_000).stream().filter(l -> l.leaseId().startsWith("locked/")).toList(),
                NOW));
        assertThat(revoked).isEqualTo(3);
        for (String id : ids) {
            StoredLease lease = database.autocommit("find", c -> LeaseStore.find(c, id)).orElseThrow();
            assertThat(lease.lease().state()).isEqualTo(LeaseState.REVOKED);
            assertThat(lease.lease().attempts()).isEqualTo(1);
            assertThat(lease.lease().nextAttemptAt()).isNull();
        }
        assertThat(claimUnder("locked/", NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(2)))).isEmpty();
    }

    /**
     * Claims everything due at {@code now}, keeping only leases under {@code prefix} (other tests' are handed back).
     */
    private static List<ClaimedLease> claimUnder(String prefix, Instant now, Instant until) {
        List<ClaimedLease> all = database.autocommit("claim", c -> LeaseStore.claim(c, now, until, 10_000));
        List<ClaimedLease> mine = new ArrayList<>();
        List<ClaimedLease> others = new ArrayList<>();
        Set<String> unique = new HashSet<>();
        for (ClaimedLease lease : all) {
            assertThat(unique.add(lease.leaseId())).isTrue();
            (lease.leaseId().startsWith(prefix) ? mine : others).add(lease);
        }
        if (!others.isEmpty()) {
            database.autocommit("hand back", c -> LeaseStore.release(c, others, now));
        }
        return mine;
    }
}
