package io.secrethub.core.audit;

import io.secrethub.core.AuditOutcome;
import io.secrethub.core.AuditStats;
import io.secrethub.core.AuditUnavailableException;
import io.secrethub.core.SealedException;
import io.secrethub.core.crypto.KeyMaterial;
import io.secrethub.core.storage.Database;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.crypto.Mac;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for the audit log: callers enqueue records and wait on their ticket; one writer thread
 * drains whatever has queued up and appends it in a single transaction. Under load a batch holds
 * many callers' records, so the audit log costs one commit per batch rather than one per call and
 * does not cap throughput; with a single caller it is one commit per record, as before.
 *
 * <p>Each batch is linked to the chain head as this writer last saw it and written, head move included,
 * in one statement that applies only if the stored head is still that one (one round trip, one commit).
 * If another instance appended in between, the writer locks the head row ({@code SELECT … FOR UPDATE}),
 * relinks and appends under the lock, so the chain stays one gapless sequence across instances.
 *
 * <p>The writer keeps a connection of its own for its lifetime. It must not borrow one per batch:
 * callers that wait for the audit while holding pooled connections (a write awaits its record
 * inside its transaction) could otherwise exhaust the pool and starve the very writer they wait for.
 *
 * <p>When that connection is lost (PostgreSQL restarted), the writer does not make callers wait: it asks for a
 * new connection on a connector thread and waits for it at most {@link #CONNECT_WAIT} at a time; meanwhile the
 * queued calls fail at once and new ones are refused at once ({@link AuditUnavailableException}), so callers
 * release their pooled connections, and the pool can hand the writer one as soon as the database is back.
 *
 * <p>A call whose success is on record but which then failed (its commit failed) gets a <em>correction</em>
 * ({@link #correct}): a record nobody waits for and nothing cancels, retried by this writer ahead of new
 * records until it lands, so the log never keeps a success for a call whose caller got an error.
 *
 * <p>With a {@linkplain AuditFileDevice file device}, each batch is also appended to the file and forced to disk
 * after its database commit and before its calls are answered: a call is answered only when both have it. If
 * the file fails, the calls fail and the successes just committed to the database get corrections.
 */
public final class AuditWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);

    /** How long the writer waits for a new connection before it fails the queued calls and looks again. */
    static final Duration CONNECT_WAIT = Duration.ofMillis(200);
    /** How long an idle writer sleeps before it looks again (new records wake it at once). */
    private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    public static final String CORRECTION = "not completed after its success was recorded";

    private final Database database;
    private final Duration timeout;
    private final int maxBatch;
    private final int capacity;
    private final LinkedBlockingQueue<AuditTicket> queue;
    private final ConcurrentLinkedQueue<AuditTicket> corrections = new ConcurrentLinkedQueue<>();
    private final AuditFileDevice file;
    private final Thread thread;
    private final ExecutorService connector;
    private final AtomicLong highestSequence = new AtomicLong();
    private final AtomicInteger writing = new AtomicInteger();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong recordsWritten = new AtomicLong();
    private final AtomicLong batchNanos = new AtomicLong();
    private volatile boolean closed;
    /** The writer is about to park, or parked, for want of records: {@link #wakeIfIdle} must wake it. */
    private volatile boolean idle;
    /** Why the database cannot take records right now, or null while it can. */
    private volatile String unreachable;
    private volatile CompletableFuture<Connection> connecting; // set by the writer thread only
    private Connection connection; // writer thread only
    /** The chain head as this writer last wrote or read it; null when unknown. Writer thread only. */
    private AuditStore.Head head;

    /**
     * @param timeout how long callers wait for their record, and the statement timeout of a batch
     * @param maxBatch the most records per transaction
     * @param capacity the most records queued; beyond it appends fail at once rather than pile up
     */
    public AuditWriter(Database database, Duration timeout, int maxBatch, int capacity, String node) {
        this(database, timeout, maxBatch, capacity, node, null);
    }

    /** @param auditFile the file audit device's file, or null for the database chain alone */
    public AuditWriter(Database database, Duration timeout, int maxBatch, int capacity, String node, Path auditFile) {
        this.database = database;
        this.timeout = timeout;
        this.maxBatch = maxBatch;
        this.capacity = capacity;
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.file = auditFile == null ? null : new AuditFileDevice(auditFile, node);
        this.thread = new Thread(this::run, "secrethub-audit-writer-" + node);
        this.thread.setDaemon(true);
        this.connector = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "secrethub-audit-connect-" + node);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the writer thread; records submitted before wait in the queue until then. */
    public void start() {
        thread.start();
    }

    /** Enqueues a record to be chained with {@code chainKey}; wait on the ticket for durability. */
    public AuditTicket submit(AuditEntry entry, KeyMaterial chainKey) {
        checkAccepting();
        AuditTicket ticket = new AuditTicket(entry, chainKey);
        if (!queue.offer(ticket)) {
            throw queueFull();
        }
        wakeIfIdle();
        return ticket;
    }

    /**
     * Refuses at once when a record could not be taken now: closing, the database unreachable, or the queue full.
     * The pipeline asks before it does a call's work, so a call that could not be audited costs nothing and
     * waits for nothing.
     */
    public void checkAccepting() {
        if (closed) {
            throw new AuditUnavailableException("audit log unavailable: SecretHub is closing");
        }
        String down = unreachable;
        if (down != null) {
            throw new AuditUnavailableException("audit log unavailable: " + down + "; request refused");
        }
        if (queue.remainingCapacity() == 0) {
            throw queueFull();
        }
    }

    private AuditUnavailableException queueFull() {
        return new AuditUnavailableException("audit log unavailable: the audit queue is full (capacity " + capacity
                + " records); request refused");
    }

    /**
     * Records that the call whose success is already on record failed after all. Never throws and never waits:
     * the writer retries it ahead of new records until it lands (as long as this instance runs and its keys are
     * not wiped; see docs/architecture.md section 5).
     */
    public void correct(AuditEntry entry, KeyMaterial chainKey) {
        corrections.add(AuditTicket.correction(entry, chainKey));
        wakeIfIdle();
    }

    /**
     * Wakes the writer if it parked for want of records. Only then: under load the writer is busy and every call
     * would otherwise take the writer's parker lock, one lock shared by all callers. The writer sets {@code idle}
     * before it looks at the queues and parks, and callers enqueue before they read it, so one side always sees
     * the other (both volatile).
     */
    private void wakeIfIdle() {
        if (idle) {
            LockSupport.unpark(thread);
        }
    }

    /** Corrections not yet written (monitoring, tests). */
    public int pendingCorrections() {
        return corrections.size();
    }

    /** The file audit device's file, or null. */
    public Path auditFile() {
        return file == null ? null : file.path();
    }

    /** Appends a record and waits until it is durable. @return its sequence number */
    public long append(AuditEntry entry, KeyMaterial chainKey) {
        return submit(entry, chainKey).await(timeout);
    }

    /** The highest sequence number this instance has committed: the chain may not end before it. */
    public long highestSequence() {
        return highestSequence.get();
    }

    public Duration timeout() {
        return timeout;
    }

    /** Group-commit figures since start, for benchmarks and monitoring. */
    public AuditStats stats() {
        return new AuditStats(batches.get(), recordsWritten.get(), batchNanos.get(), queue.size());
    }

    /**
     * Waits (at most {@code max}) until the queue is drained and no batch is being written. Best effort:
     * used by seal so records already queued are chained before the key is wiped; a record that misses
     * it fails closed.
     *
     * @return whether everything was written (false: the bound passed first, or the caller was interrupted)
     */
    public boolean flush(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!queue.isEmpty() || !corrections.isEmpty() || writing.get() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Writes what is queued, then stops; records that could not be written fail. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(timeout.toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        CompletableFuture<Connection> pending = connecting;
        if (pending != null) { // a connection that arrives after the writer stopped goes back to the pool
            pending.thenAccept(c -> {
                try {
                    c.close();
                } catch (SQLException e) {
                    LOG.debug("closing a late audit connection failed", e);
                }
            });
        }
        connector.shutdownNow();
        List<AuditTicket> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(t -> t.failed(new AuditUnavailableException("audit log unavailable: SecretHub closed")));
        for (AuditTicket lost; (lost = corrections.poll()) != null; ) {
            LOG.error("audit correction lost at close: request {} ({}) failed after its success was recorded",
                    lost.entry.requestId(), lost.entry.operation());
        }
        if (file != null) {
            file.close();
        }
    }

    private void run() {
        List<AuditTicket> batch = new ArrayList<>(maxBatch);
        try {
            while (!closed || !queue.isEmpty() || !corrections.isEmpty()) {
                if (connection == null && !connect()) {
                    failQueued();
                    continue;
                }
                idle = true;
                if (queue.isEmpty() && corrections.isEmpty()) {
                    // Idle: wait outside the "writing" window, so flush() sees an idle writer as idle. submit()
                    // and correct() unpark this thread; a permit given before the park makes it return at once.
                    LockSupport.parkNanos(IDLE_WAIT_NANOS);
                    idle = false;
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    continue;
                }
                idle = false;
                writing.incrementAndGet(); // before the queue is polled: flush() never sees a taken batch as done
                try {
                    for (AuditTicket c; batch.size() < maxBatch && (c = corrections.poll()) != null; ) {
                        batch.add(c);
                    }
                    queue.drainTo(batch, maxBatch - batch.size());
                    batch.removeIf(t -> !t.isCorrection() && !t.claim());
                    if (!batch.isEmpty() && !write(batch) && !corrections.isEmpty()) {
                        Thread.sleep(50); // corrections are retried until they land, but not in a tight loop
                    }
                } finally {
                    batch.clear();
                    writing.decrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeConnection();
        }
    }

    /**
     * Gets the writer a connection, waiting at most {@link #CONNECT_WAIT}: the pool may block far longer (its
     * connection timeout) while the database is down, and queued calls must not wait for that.
     *
     * @return whether the writer has a connection now
     */
    private boolean connect() throws InterruptedException {
        if (connecting == null) {
            connecting = CompletableFuture.supplyAsync(this::openConnection, connector);
        }
        try {
            connection = connecting.get(CONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            connecting = null;
            if (unreachable != null) {
                LOG.info("audit log: the database is reachable again");
            }
            unreachable = null;
            return true;
        } catch (TimeoutException e) {
            markUnreachable("the audit database is unreachable (waiting for a connection)");
            return false;
        } catch (ExecutionException e) {
            connecting = null;
            markUnreachable("the audit database is unreachable (" + rootCause(e) + ")");
            Thread.sleep(CONNECT_WAIT.toMillis()); // the pool failed fast: don't spin
            return false;
        }
    }

    private Connection openConnection() {
        try {
            Connection c = database.dataSource().getConnection();
            try {
                c.setAutoCommit(true); // a batch is one statement; see AuditStore.append
                if (!c.isValid(Math.max(1, (int) CONNECT_WAIT.toSeconds()))) {
                    throw new SQLException("the new audit connection is not valid", "08006");
                }
                return c;
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    private void markUnreachable(String reason) {
        if (unreachable == null) {
            LOG.warn("audit log: {}; calls fail at once until it is back", reason);
        }
        unreachable = reason;
    }

    /** Fails what is queued at once rather than letting it wait for a connection. */
    private void failQueued() {
        List<AuditTicket> waiting = new ArrayList<>();
        queue.drainTo(waiting);
        if (waiting.isEmpty()) {
            return;
        }
        AuditUnavailableException failure = new AuditUnavailableException("audit log unavailable: "
                + Objects.requireNonNullElse(unreachable, "no database connection"));
        for (AuditTicket t : waiting) {
            if (t.claim()) {
                t.failed(failure);
            }
        }
    }

    /** @return false if the batch failed */
    private boolean write(List<AuditTicket> batch) {
        long started = System.nanoTime();
        List<AuditTicket> linked = new ArrayList<>(batch);
        long first;
        Chained chained;
        try {
            Connection c = connection();
            if (head == null) {
                head = AuditStore.readHead(c);
            }
            chained = link(linked, head);
            if (linked.isEmpty()) {
                return true;
            }
            if (!AuditStore.append(c, head, chained.entries, chained.hashes, timeoutSeconds())) {
                // Another instance appended since this writer last looked: take the head's lock, relink, append.
                c.setAutoCommit(false);
                head = AuditStore.lockHead(c);
                chained = link(linked, head);
                if (linked.isEmpty()
                        || !AuditStore.append(c, head, chained.entries, chained.hashes, timeoutSeconds())) {
                    c.rollback();
                    c.setAutoCommit(true);
                    return true;
                }
                c.commit();
                c.setAutoCommit(true);
            }
            first = head.sequence() + 1;
            head = new AuditStore.Head(head.sequence() + linked.size(), chained.hashes.get(chained.hashes.size() - 1));
        } catch (SQLException | RuntimeException e) {
            head = null; // unknown after a failure: read it again
            rollbackAndDrop();
            LOG.error("audit log write failed, {} calls fail closed: {}", batch.size(), rootCause(e));
            LOG.debug("audit log write failure", e);
            AuditUnavailableException failure = e instanceof SQLException sql
                    ? new AuditUnavailableException("audit log unavailable: the record could not be written (SQLSTATE "
                            + sql.getSQLState() + ")", e)
                    : new AuditUnavailableException("audit log unavailable: the record could not be written", e);
            for (AuditTicket ticket : linked) {
                if (ticket.isCorrection()) {
                    corrections.add(ticket); // retried with the next batch, once there is a connection again
                } else {
                    ticket.failed(failure);
                }
            }
            return false;
        }
        highestSequence.accumulateAndGet(head.sequence(), Math::max);
        if (file != null && !writeFile(linked, chained, first)) {
            return false;
        }
        for (int i = 0; i < linked.size(); i++) {
            linked.get(i).written(first + i);
        }
        batches.incrementAndGet();
        recordsWritten.addAndGet(linked.size());
        batchNanos.addAndGet(System.nanoTime() - started);
        return true;
    }

    /**
     * Appends a committed batch to the file device and forces it to disk. If that fails, the calls fail (both
     * devices must have a record before a call is answered) and each success just committed to the database gets
     * a correction, since its call will now not complete.
     *
     * @return whether the file has the batch
     */
    private boolean writeFile(List<AuditTicket> linked, Chained chained, long first) {
        try {
            file.write(chained.entries, first, chained.hashes, linked.get(0).chainKey);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.error("audit file {} could not be written, {} calls fail closed: {}", file.path(), linked.size(),
                    rootCause(e));
            AuditUnavailableException failure = new AuditUnavailableException(
                    "audit log unavailable: the audit file could not be written", e);
            for (AuditTicket ticket : linked) {
                AuditEntry entry = ticket.entry;
                if (!ticket.isCorrection() && entry.outcome() == AuditOutcome.SUCCESS) {
                    corrections.add(AuditTicket.correction(new AuditEntry(entry.time(), entry.node(),
                            entry.requestId(), entry.operation(), entry.path(), entry.accessorHmac(),
                            entry.clientAddress(), AuditOutcome.ERROR, "AuditUnavailableException", CORRECTION),
                            ticket.chainKey));
                }
                ticket.failed(failure);
            }
            return false;
        }
    }

    /** A batch's entries and their chain hashes, in order. */
    private record Chained(List<AuditEntry> entries, List<byte[]> hashes) {
    }

    /**
     * Chains {@code tickets} after {@code from}. A ticket whose key is gone (sealed since it was queued) cannot
     * be chained: it fails and leaves the list.
     */
    private static Chained link(List<AuditTicket> tickets, AuditStore.Head from) {
        List<AuditEntry> entries = new ArrayList<>(tickets.size());
        List<byte[]> hashes = new ArrayList<>(tickets.size());
        long sequence = from.sequence();
        byte[] previous = from.hash();
        KeyMaterial keyed = null; // the key `mac` holds: one Mac per key per batch, not one per record
        Mac mac = null;
        for (Iterator<AuditTicket> it = tickets.iterator(); it.hasNext(); ) {
            AuditTicket ticket = it.next();
            byte[] hash;
            try {
                if (ticket.chainKey != keyed) {
                    mac = ticket.chainKey.mac();
                    keyed = ticket.chainKey;
                }
                hash = AuditChain.link(mac, previous, sequence + 1, ticket.entry);
            } catch (SealedException e) {
                if (ticket.isCorrection()) {
                    LOG.error("audit correction lost: the instance was sealed before request {} ({}), which failed"
                            + " after its success was recorded, could be corrected", ticket.entry.requestId(),
                            ticket.entry.operation());
                }
                ticket.failed(e);
                it.remove();
                continue;
            }
            sequence++;
            previous = hash;
            entries.add(ticket.entry);
            hashes.add(hash);
        }
        return new Chained(entries, hashes);
    }

    /** The driver's innermost message: for a failed batch, the statement error rather than the whole batch. */
    private static String rootCause(Throwable e) {
        Throwable cause = e;
        if (e instanceof SQLException sql && sql.getNextException() != null) {
            cause = sql.getNextException();
        }
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            throw new SQLException("no audit connection", "08003");
        }
        return connection;
    }

    private int timeoutSeconds() {
        return (int) Math.max(1, timeout.toSeconds());
    }

    private void rollbackAndDrop() {
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection is discarded below anyway
            }
            closeConnection();
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the audit connection failed", e);
            }
            connection = null;
        }
    }
}
