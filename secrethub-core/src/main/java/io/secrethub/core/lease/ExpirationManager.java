package io.secrethub.core.lease;

import io.secrethub.core.LeaseStats;
import io.secrethub.core.IntegrityException;
import io.secrethub.core.SealedException;
import io.secrethub.core.keyring.CoreKeys;
import io.secrethub.core.keyring.KeySource;
import io.secrethub.core.storage.Database;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Nothing is loaded at start-up: a poller claims due leases from the database in batches
 * ({@link LeaseStore#claim}: {@code FOR UPDATE SKIP LOCKED}, so instances sharing the database split
 * the work and never claim the same lease at once) and hands them to a fixed pool of
 * {@code concurrency} workers. A burst of expiries therefore costs this many revocations at a time,
 * however large it is, and after each full batch the manager pauses so that a backlog keeps it busy at most
 * {@code dutyCycle} of the time (default a quarter): the server keeps serving requests while the backlog drains. The
 * poller waits for a batch before claiming the next, so no more than one batch is ever claimed and unprocessed.
 *
 * <p>A failed attempt is retried with exponential backoff; after {@code maxAttempts} the lease is
 * marked irrevocable and reported (a warning with its id, and {@code leases().irrevocable()}), never
 * retried forever. A claim lasts {@code claimTimeout}: if the instance dies mid-revocation another one
 * takes the lease over afterwards (handlers are idempotent for that reason).
 *
 * <p>On seal, claimed leases not yet started are handed back and the seal waits for those in flight.
 */
public final class ExpirationManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExpirationManager.class);
    private static final int PURGE_BATCH = 1000;
    private static final long PURGE_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long IDLE_WAIT_SECONDS = 30;

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

    /** Claims and processes batches until fewer than a full batch is due. */
    private void drain() {
        while (!closed) {
            Instant now = now();
            List<ClaimedLease> batch = database.autocommit("claim due leases",
                    c -> LeaseStore.claim(c, now, now.plus(settings.claimTimeout()), settings.batchSize()));
            if (batch.isEmpty()) {
                return;
            }
            claimed.add(batch.size());
            long started = System.nanoTime();
            process(batch, started);
            if (batch.size() < settings.batchSize()) {
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

    private void process(List<ClaimedLease> batch, long claimedAt) {
        Map<String, List<ClaimedLease>> byKind = new LinkedHashMap<>();
        batch.forEach(l -> byKind.computeIfAbsent(l.kind(), k -> new ArrayList<>()).add(l));
        List<Future<?>> tasks = new ArrayList<>();
        for (Map.Entry<String, List<ClaimedLease>> kind : byKind.entrySet()) {
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
        failed.increment();
        boolean giveUp = lease.attempts() >= settings.maxAttempts();
        Instant retryAt = giveUp ? null : now.plus(backoff.after(lease.attempts()));
        boolean recorded = database.autocommit("record a failed lease revocation",
                c -> LeaseStore.recordFailure(c, lease, error, retryAt));
        if (recorded && giveUp) {
            irrevocable.increment();
            LOG.warn("lease {} is irrevocable after {} failed revocation attempts (last: {}); retries stopped,"
                    + " see leases().irrevocable()", lease.leaseId(), lease.attempts(), error);
        } else if (recorded) {
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
