package io.secrethub.core.lease;

import io.secrethub.core.LeaseStats;
import io.secrethub.core.IntegrityException;
import io.secrethub.core.SealedException;
import io.secrethub.core.keyring.CoreKeys;
import io.secrethub.core.keyring.KeySource;
import io.secrethub.core.storage.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revokes expired leases in the background, on every instance, while unsealed.
 *
 * <p>Nothing is loaded at start-up: a poller takes due leases from the database in batches, locking them with
 * {@code FOR UPDATE SKIP LOCKED} (instances sharing the database split the work and never take the same lease at
 * once). Leases whose revocation is all in SecretHub's own database (tokens) are revoked and marked revoked in that
 * same transaction, one write of each lease row; the others (users on other servers) are claimed in it
 * ({@link LeaseStore#claimLocked}) and handed to a fixed pool of {@code concurrency} workers. A burst of expiries
 * therefore costs one transaction per batch and this many revocations at a time, however large it is, and after each
 * full batch the manager pauses so that a backlog keeps it busy at most {@code dutyCycle} of the time (default a
 * quarter): the server keeps serving requests while the backlog drains. The poller waits for a batch before taking
 * the next, so no more than one batch is ever claimed and unprocessed.
 *
 * <p>A failed attempt is retried with exponential backoff; after {@code maxAttempts} the lease is
 * marked irrevocable and reported (a warning with its id, and {@code leases().irrevocable()}), never
 * retried forever. A claim lasts {@code claimTimeout}: if the instance dies mid-revocation another one
 * takes the lease over afterwards (handlers are idempotent for that reason); a revocation in the taking transaction
 * that dies with its instance simply never happened, and the leases are due for the next taker.
 *
 * <p>On seal, claimed leases not yet started are handed back and the seal waits for those in flight.
 */
public final class ExpirationManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExpirationManager.class);
    private static final int PURGE_BATCH = 1000;
    private static final long PURGE_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long IDLE_WAIT_SECONDS = 30;
    /**
     * The longest a batch's transaction waits for a row lock (PostgreSQL's {@code lock_timeout}); below the
     * server's default {@code deadlock_timeout} (1 s), so when it meets a token revocation locking the other way
     * round, this transaction gives way before the deadlock detector could pick the caller's.
     */
    static final String TAKE_LOCK_TIMEOUT = "200ms";
    /** SQLSTATEs of contention, not fault: lock_not_available, deadlock_detected, serialization_failure. */
    private static final Set<String> CONTENTION = Set.of("55P03", "40P01", "40001");

    private final Database database;
    private final KeySource keys;
    private final Clock clock;
    private final LeaseSettings settings;
    private final Map<String, LeaseHandler> handlers = new LinkedHashMap<>();
    private final Backoff backoff;
    private final ScheduledExecutorService poller;
    private final ExecutorService workers;
    /** Held while a batch is being processed; seal waits on it. */
    private final ReentrantLock draining = new ReentrantLock();
    private final LongAdder claimed = new LongAdder();
    private final LongAdder revoked = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder irrevocable = new LongAdder();
    private final LongAdder released = new LongAdder();
    private volatile boolean closed;
    private long lastPurge = System.nanoTime();

    public ExpirationManager(Database database, KeySource keys, Clock clock, LeaseSettings settings,
            List<LeaseHandler> handlers, String node) {
        this.database = database;
        this.keys = keys;
        this.clock = clock;
        this.settings = settings;
        handlers.forEach(h -> this.handlers.put(h.kind(), h));
        this.backoff = new Backoff(settings.backoffBase(), settings.backoffMax());
        this.poller = Executors.newSingleThreadScheduledExecutor(daemon("secrethub-leases-" + node));
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(settings.concurrency(), settings.concurrency(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), r
                        -> daemon("secrethub-revoker-" + node + "-" + n.incrementAndGet()).newThread(r));
    }

    /** Starts polling for due leases (the executors make their threads on first use, from here on). */
    public void start() {
        long poll = settings.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::tick, poll, poll, TimeUnit.MILLISECONDS);
    }

    /** The handler for {@code kind}, or {@code null}. */
    LeaseHandler handler(String kind) {
        return handlers.get(kind);
    }

    LeaseSettings settings() {
        return settings;
    }

    /** Looks for due leases now instead of at the next poll (after revoke-prefix or a token revocation queued some). */
    public void wake() {
        if (!closed) {
            poller.execute(this::tick);
        }
    }

    public LeaseStats stats() {
        return new LeaseStats(claimed.sum(), revoked.sum(), failed.sum(), irrevocable.sum(), released.sum());
    }

    /**
     * Called on seal (keys are already gone for new work): waits until the batch in progress, if any,
     * has finished its in-flight revocations and handed the rest back.
     */
    public void awaitIdle() {
        try {
            if (draining.tryLock(IDLE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                draining.unlock();
            } else {
                LOG.warn("lease revocations still in flight after {} s at seal; they finish in the background",
                        IDLE_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        poller.shutdown();
        awaitIdle();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(IDLE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
            poller.awaitTermination(IDLE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
        poller.shutdownNow();
    }

    private void tick() {
        if (closed || !draining.tryLock()) {
            return; // a drain is already running (a wake-up raced with the schedule)
        }
        try {
            keys.current();
            drain();
            purgeRevoked();
        } catch (SealedException e) {
            // nothing to do while sealed: leases stay due and are picked up after unseal
        } catch (RuntimeException e) {
            LOG.warn("could not process due leases; will retry at the next poll", e);
        } finally {
            draining.unlock();
        }
    }

    /** Takes and processes batches until fewer than a full batch is due. */
    private void drain() {
        while (!closed) {
            long started = System.nanoTime();
            Taken batch = take(now());
            if (batch.due() == 0) {
                return;
            }
            claimed.add(batch.due());
            if (!batch.claimed().isEmpty()) {
                process(batch.claimed(), started);
            }
            if (batch.due() < settings.batchSize()) {
                return;
            }
            // A backlog: leave the requests being served their share before the next batch.
            long pause = settings.pauseNanos(System.nanoTime() - started);
            if (pause > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * One batch taken from the due leases.
     *
     * @param due how many due leases it took (revoked at once, refused, or claimed)
     * @param claimed those claimed for a revocation outside the transaction that took them
     */
    private record Taken(int due, List<ClaimedLease> claimed) {
    }

    /**
     * Takes a batch of due leases in one transaction ({@link #revokeDue}); should that fail (a lock wait over
     * {@value #TAKE_LOCK_TIMEOUT}, a handler's error), claims the batch instead, so each lease gets the separate,
     * counted attempt that backs off and ends irrevocable as before.
     */
    private Taken take(Instant now) {
        CoreKeys current = keys.current();
        Instant claimUntil = now.plus(settings.claimTimeout());
        Revoked done;
        try {
            done = database.transaction("revoke due leases", c -> revokeDue(c, now, claimUntil, current));
        } catch (SealedException e) {
            throw e;
        } catch (RuntimeException e) {
            if (contended(e)) {
                LOG.debug("due leases met a lock held elsewhere ({}); claiming them instead", Failures.describe(e));
            } else {
                LOG.warn("could not revoke due leases in one transaction ({}); claiming them instead",
                        Failures.describe(e), e);
            }
            List<ClaimedLease> batch = database.autocommit("claim due leases",
                    c -> LeaseStore.claim(c, now, claimUntil, settings.batchSize()));
            return new Taken(batch.size(), batch);
        }
        revoked.add(done.revoked());
        done.refused().forEach(f -> reportFailure(f.lease(), f.error(), f.retryAt()));
        done.afterCommit().forEach(Runnable::run);
        return new Taken(done.due(), done.claimed());
    }

    /** Whether {@code e} is a lock wait that ran out, a deadlock or a serialization failure: contention, no fault. */
    private static boolean contended(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return CONTENTION.contains(sql.getSQLState());
            }
        }
        return false;
    }

    /** A failed attempt recorded in the transaction that took the lease. */
    private record Failure(ClaimedLease lease, String error, Instant retryAt) {
    }

    /** What {@link #revokeDue} did, for after its commit. */
    private record Revoked(int due, int revoked, List<Failure> refused, List<ClaimedLease> claimed,
            List<Runnable> afterCommit) {
    }

    /**
     * Locks a batch of due leases ({@code FOR UPDATE SKIP LOCKED}: instances split them, and never take the same
     * lease) and, in the same transaction, revokes those whose handler works in SecretHub's own database (tokens):
     * each is marked revoked and its handler runs; those refused by their row MAC are recorded as failed attempts;
     * the rest (other servers' users) are claimed as before. An expired token lease thus costs one write of its row,
     * where a claim and then its outcome cost two, each a new row version with an entry in every index it matches
     * (the state and {@code next_attempt_at} change, so no update of a lease row is HOT). Crash-safe as the claim
     * was: if this instance dies before the commit, nothing happened and the leases are due for whoever comes next.
     * Lock waits are bounded: this transaction locks leases before tokens, a token revocation locks tokens before
     * leases, so one of them must give way, and it is this one (it falls back to a claim).
     */
    private Revoked revokeDue(Connection c, Instant now, Instant claimUntil, CoreKeys current) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL lock_timeout = '" + TAKE_LOCK_TIMEOUT + "'");
        }
        List<ClaimedLease> due = LeaseStore.lockDue(c, now, settings.batchSize());
        List<ClaimedLease> elsewhere = new ArrayList<>();
        List<ClaimedLease> authentic = new ArrayList<>();
        List<Failure> refused = new ArrayList<>();
        for (ClaimedLease lease : due) {
            LeaseHandler handler = handlers.get(lease.kind());
            if (handler == null || !handler.revokesInTransaction()) {
                elsewhere.add(lease);
                continue;
            }
            try {
                lease.verify(current.system().rows());
                authentic.add(lease);
            } catch (IntegrityException e) {
                LOG.warn("lease {} refused: {}", lease.leaseId(), e.getMessage());
                Failure failure = failure(lease, "integrity: the lease row was changed outside SecretHub", now);
                LeaseStore.failLocked(c, lease, failure.error(), failure.retryAt());
                refused.add(failure);
            }
        }
        List<Runnable> afterCommit = new ArrayList<>();
        if (!authentic.isEmpty()) {
            // Marked first, so what a handler queues or marks (a token's own leases, its descendants') skips them.
            LeaseStore.revokeLocked(c, authentic, now);
            for (Map.Entry<String, List<ClaimedLease>> kind : byKind(authentic).entrySet()) {
                LeaseHandler handler = handlers.get(kind.getKey());
                List<ClaimedLease> leases = kind.getValue();
                for (int i = 0; i < leases.size(); i += handler.chunkSize()) {
                    afterCommit.add(handler.revoke(c, leases.subList(i, Math.min(leases.size(),
                            i + handler.chunkSize())), current));
                }
            }
        }
        List<ClaimedLease> claimedHere = elsewhere.isEmpty() ? List.of()
                : LeaseStore.claimLocked(c, elsewhere, claimUntil);
        return new Revoked(due.size(), authentic.size(), refused, claimedHere, afterCommit);
    }

    /** {@code leases} grouped by kind, in the order each kind first appears. */
    private static Map<String, List<ClaimedLease>> byKind(List<ClaimedLease> leases) {
        Map<String, List<ClaimedLease>> byKind = new LinkedHashMap<>();
        leases.forEach(l -> byKind.computeIfAbsent(l.kind(), k -> new ArrayList<>()).add(l));
        return byKind;
    }

    private void process(List<ClaimedLease> batch, long claimedAt) {
        List<Future<?>> tasks = new ArrayList<>();
        for (Map.Entry<String, List<ClaimedLease>> kind : byKind(batch).entrySet()) {
            LeaseHandler handler = handlers.get(kind.getKey());
            List<ClaimedLease> leases = kind.getValue();
            int size = handler == null ? leases.size() : handler.chunkSize();
            for (int i = 0; i < leases.size(); i += size) {
                List<ClaimedLease> chunk = leases.subList(i, Math.min(leases.size(), i + size));
                tasks.add(workers.submit(() -> runChunk(handler, chunk, claimedAt)));
            }
        }
        for (Future<?> task : tasks) {
            try {
                task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                LOG.warn("a lease revocation task failed unexpectedly", e.getCause());
            }
        }
    }

    private void runChunk(LeaseHandler handler, List<ClaimedLease> chunk, long claimedAt) {
        // Hand the chunk back rather than start it if we are stopping, or if it waited so long that
        // its claim may soon be taken over by another instance (which would revoke it twice).
        boolean stale = System.nanoTime() - claimedAt > settings.claimTimeout().toNanos() / 2;
        CoreKeys current;
        try {
            current = keys.current();
        } catch (SealedException e) {
            current = null;
        }
        if (closed || stale || current == null) {
            released.add(database.autocommit("release claimed leases", c -> LeaseStore.release(c, chunk, now())));
            return;
        }
        attempt(handler, chunk, current);
    }

    /**
     * Runs one revocation attempt on claimed leases and records its outcome.
     *
     * @return {@code null} on success, else the failure as stored in {@code last_error}
     */
    String attempt(LeaseHandler handler, List<ClaimedLease> claimed, CoreKeys current) {
        List<ClaimedLease> chunk = authentic(claimed, current);
        if (chunk.isEmpty()) {
            return "integrity";
        }
        String error;
        try {
            if (handler == null) {
                throw new IllegalStateException("no handler for lease kind " + chunk.get(0).kind());
            }
            handler.revoke(chunk, current);
            // Counted as done here, where the work happened: if a lease were ever revoked twice (two
            // claims at once), the instances' counts would add up to more than the leases revoked.
            revoked.add(chunk.size());
            database.autocommit("mark leases revoked", c -> LeaseStore.markRevoked(c, chunk, now()));
            return null;
        } catch (RuntimeException e) {
            error = handler == null ? e.getMessage() : Failures.describe(e);
        }
        Instant now = now();
        for (ClaimedLease lease : chunk) {
            recordFailure(lease, error, now);
        }
        return error;
    }

    /**
     * The claimed leases whose rows are authentic; each tampered one is recorded as a failed attempt (it ends
     * irrevocable and reported, never revoked by a handler its edited kind or payload would pick).
     */
    private List<ClaimedLease> authentic(List<ClaimedLease> claimed, CoreKeys current) {
        List<ClaimedLease> authentic = new ArrayList<>(claimed.size());
        for (ClaimedLease lease : claimed) {
            try {
                lease.verify(current.system().rows());
                authentic.add(lease);
            } catch (IntegrityException e) {
                LOG.warn("lease {} refused: {}", lease.leaseId(), e.getMessage());
                recordFailure(lease, "integrity: the lease row was changed outside SecretHub", now());
            }
        }
        return authentic;
    }

    private void recordFailure(ClaimedLease lease, String error, Instant now) {
        Failure failure = failure(lease, error, now);
        boolean recorded = database.autocommit("record a failed lease revocation",
                c -> LeaseStore.recordFailure(c, lease, error, failure.retryAt()));
        if (recorded) {
            reportFailure(lease, error, failure.retryAt());
        } else {
            failed.increment();
        }
    }

    /** The failed attempt {@code lease.attempts()}: due again after its backoff, or (the last) irrevocable. */
    private Failure failure(ClaimedLease lease, String error, Instant now) {
        boolean giveUp = lease.attempts() >= settings.maxAttempts();
        return new Failure(lease, error, giveUp ? null : now.plus(backoff.after(lease.attempts())));
    }

    /** Counts and reports a failed attempt that was recorded ({@code retryAt} null: the lease is irrevocable). */
    private void reportFailure(ClaimedLease lease, String error, Instant retryAt) {
        failed.increment();
        if (retryAt == null) {
            irrevocable.increment();
            LOG.warn("lease {} is irrevocable after {} failed revocation attempts (last: {}); retries stopped,"
                    + " see leases().irrevocable()", lease.leaseId(), lease.attempts(), error);
        } else {
            LOG.debug("revocation attempt {} of lease {} failed ({}); next attempt at {}", lease.attempts(),
                    lease.leaseId(), error, retryAt);
        }
    }

    private void purgeRevoked() {
        long nanos = System.nanoTime();
        if (nanos - lastPurge < PURGE_EVERY_NANOS) {
            return;
        }
        lastPurge = nanos;
        Instant cutoff = now().minus(settings.revokedRetention());
        int purged;
        do {
            purged = database.autocommit("purge revoked leases", c -> LeaseStore.purgeRevoked(c, cutoff, PURGE_BATCH));
        } while (purged == PURGE_BATCH && !closed);
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
