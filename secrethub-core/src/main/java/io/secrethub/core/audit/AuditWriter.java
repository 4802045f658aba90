package io.secrethub.core.audit;

import io.secrethub.core.AuditStats;
import io.secrethub.core.AuditUnavailableException;
import io.secrethub.core.SealedException;
import io.secrethub.core.crypto.KeyMaterial;
import io.secrethub.core.storage.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 */
public final class AuditWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);

    private final Database database;
    private final Duration timeout;
    private final int maxBatch;
    private final LinkedBlockingQueue<AuditTicket> queue;
    private final Thread thread;
    private final AtomicLong highestSequence = new AtomicLong();
    private final AtomicInteger writing = new AtomicInteger();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong recordsWritten = new AtomicLong();
    private final AtomicLong batchNanos = new AtomicLong();
    private volatile boolean closed;
    private Connection connection; // writer thread only
    /** The chain head as this writer last wrote or read it; null when unknown. Writer thread only. */
    private AuditStore.Head head;

    /**
     * @param timeout how long callers wait for their record, and the statement timeout of a batch
     * @param maxBatch the most records per transaction
     * @param capacity the most records queued; beyond it appends fail at once rather than pile up
     */
    public AuditWriter(Database database, Duration timeout, int maxBatch, int capacity, String node) {
        this.database = database;
        this.timeout = timeout;
        this.maxBatch = maxBatch;
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "secrethub-audit-writer-" + node);
        this.thread.setDaemon(true);
    }

    /** Starts the writer thread; records submitted before wait in the queue until then. */
    public void start() {
        thread.start();
    }

    /** Enqueues a record to be chained with {@code chainKey}; wait on the ticket for durability. */
    public AuditTicket submit(AuditEntry entry, KeyMaterial chainKey) {
        if (closed) {
            throw new AuditUnavailableException("audit log unavailable: SecretHub is closing");
        }
        AuditTicket ticket = new AuditTicket(entry, chainKey);
        if (!queue.offer(ticket)) {
            throw new AuditUnavailableException("audit log unavailable: " + queue.size()
                    + " records are waiting to be written");
        }
        return ticket;
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
     */
    public void flush(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while ((!queue.isEmpty() || writing.get() > 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Writes what is queued, then stops; records that could not be written fail. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(timeout.toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
        List<AuditTicket> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(t -> t.failed(new AuditUnavailableException("audit log unavailable: SecretHub closed")));
    }

    private void run() {
        List<AuditTicket> batch = new ArrayList<>(maxBatch);
        try {
            while (!closed || !queue.isEmpty()) {
                AuditTicket first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                writing.incrementAndGet();
                try {
                    batch.add(first);
                    queue.drainTo(batch, maxBatch - 1);
                    batch.removeIf(t -> !t.claim());
                    if (!batch.isEmpty()) {
                        write(batch);
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

    private void write(List<AuditTicket> batch) {
        long started = System.nanoTime();
        List<AuditTicket> linked = new ArrayList<>(batch);
        long first;
        try {
            Connection c = connection();
            if (head == null) {
                head = AuditStore.readHead(c);
            }
            Chained chained = link(linked, head);
            if (linked.isEmpty()) {
                return;
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
                    return;
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
                ticket.failed(failure);
            }
            return;
        }
        for (int i = 0; i < linked.size(); i++) {
            linked.get(i).written(first + i);
        }
        highestSequence.accumulateAndGet(head.sequence(), Math::max);
        batches.incrementAndGet();
        recordsWritten.addAndGet(linked.size());
        batchNanos.addAndGet(System.nanoTime() - started);
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
        for (Iterator<AuditTicket> it = tickets.iterator(); it.hasNext(); ) {
            AuditTicket ticket = it.next();
            byte[] hash;
            try {
                hash = AuditChain.link(ticket.chainKey, previous, sequence + 1, ticket.entry);
            } catch (SealedException e) {
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
    private static String rootCause(Exception e) {
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
            connection = database.dataSource().getConnection();
            connection.setAutoCommit(true); // a batch is one statement; see AuditStore.append
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
