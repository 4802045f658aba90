package io.secrethub.core.secrets;

import io.secrethub.core.SecretChangeListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every instance's {@link SecretCache} coherent with the others' writes, over PostgreSQL's
 * {@code LISTEN}/{@code NOTIFY} on the channel {@value #CHANNEL}, with one thread and one connection that it holds
 * for its lifetime.
 *
 * <p>Outgoing: a committed change is queued here, and the thread sends the queued paths as one notification
 * (newline-separated; paths cannot hold a newline) every few milliseconds. Notifying inside each write's own
 * transaction would be simpler, but PostgreSQL serializes the commits of notifying transactions under one lock,
 * which cost a quarter of the write throughput. The price is that an instance that dies between a commit and its
 * notification never sends it; {@link SecretCache} entries therefore also expire after a few seconds.
 *
 * <p>Incoming: each path heard invalidates this instance's entry. Notifications sent while nobody listened are
 * lost, so the cache only caches while the thread is listening and is dropped whole each time listening
 * (re)starts; a lost connection is retried with a backoff capped at 5 s, and paths queued meanwhile are kept.
 * Payloads are paths, which hold no secret material (the audit log records them too).
 *
 * <p>{@link SecretChangeListener}s hear both: this instance's changes as they are announced, the others' as they
 * are heard, and a call to {@link SecretChangeListener#changesMayHaveBeenMissed()} each time listening restarts.
 */
public final class SecretChangeFeed implements AutoCloseable {

    /** The PostgreSQL notification channel of secret changes. */
    static final String CHANNEL = "secrethub_secrets";

    private static final Logger LOG = LoggerFactory.getLogger(SecretChangeFeed.class);
    /** Longest a queued change waits to be sent, and so the usual bound on another instance's stale window. */
    private static final int SEND_EVERY_MILLIS = 5;
    /** PostgreSQL's payload limit is 8000 bytes; paths are ASCII. */
    private static final int MAX_PAYLOAD = 7900;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final DataSource dataSource;
    private final SecretCache cache;
    private final String applicationName;
    private final LinkedBlockingQueue<String> outgoing = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final List<SecretChangeListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public SecretChangeFeed(DataSource dataSource, SecretCache cache, String node) {
        this.dataSource = dataSource;
        this.cache = cache;
        this.applicationName = "secrethub-changes-" + node;
        this.thread = new Thread(this::run, "secrethub-secret-changes-" + node);
        this.thread.setDaemon(true);
    }

    /** Starts listening (and sending) on its own thread; until it listens, reads bypass the cache. */
    public void start() {
        thread.start();
    }

    /** Tells the other instances that {@code path} changed; call after the change committed. */
    void announce(String path) {
        outgoing.offer(path);
        tell(path);
    }

    public void addListener(SecretChangeListener listener) {
        listeners.add(listener);
    }

    public void removeListener(SecretChangeListener listener) {
        listeners.remove(listener);
    }

    private void tell(String path) {
        for (SecretChangeListener listener : listeners) {
            try {
                listener.secretChanged(path);
            } catch (RuntimeException e) {
                LOG.warn("a secret change listener failed: {}", e.toString());
            }
        }
    }

    private void tellMissed() {
        for (SecretChangeListener listener : listeners) {
            try {
                listener.changesMayHaveBeenMissed();
            } catch (RuntimeException e) {
                LOG.warn("a secret change listener failed: {}", e.toString());
            }
        }
    }

    private void run() {
        long backoffMillis = 100;
        boolean listenedBefore = false;
        while (!closed) {
            Connection c = null;
            try {
                c = dataSource.getConnection();
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    // Named, so an operator sees in pg_stat_activity which session this is.
                    c.setClientInfo("ApplicationName", applicationName);
                    s.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                int self = pg.getBackendPID();
                cache.coherent();
                if (listenedBefore) {
                    tellMissed();
                }
                listenedBefore = true;
                backoffMillis = 100;
                List<String> batch = new ArrayList<>();
                while (!closed) {
                    String first = outgoing.poll(SEND_EVERY_MILLIS, TimeUnit.MILLISECONDS);
                    if (first != null) {
                        batch.add(first);
                        outgoing.drainTo(batch);
                        send(c, batch);
                        batch.clear(); // a failed send requeued them itself
                    }
                    PGNotification[] notifications = pg.getNotifications(1);
                    if (notifications != null) {
                        for (PGNotification n : notifications) {
                            if (n.getPID() == self) {
                                continue; // our own announcement: this instance invalidated when it committed
                            }
                            for (String path : n.getParameter().split("\n")) {
                                cache.invalidate(path);
                                tell(path);
                            }
                        }
                    }
                }
                outgoing.drainTo(batch); // closing: what committed before close still reaches the others
                if (!batch.isEmpty()) {
                    send(c, batch);
                }
                // The connection goes back to the pool: it must not keep listening (nor buffering notifications).
                try (Statement s = c.createStatement()) {
                    s.execute("UNLISTEN *");
                }
                c.setClientInfo("ApplicationName", "");
                c.close();
            } catch (SQLException | RuntimeException e) {
                cache.incoherent();
                discard(c);
                if (closed) {
                    break;
                }
                LOG.warn("secret change notifications interrupted ({}); reads bypass the cache until they resume,"
                        + " retry in {} ms", e.getMessage(), backoffMillis);
                sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
            } catch (InterruptedException e) {
                discard(c);
                break;
            }
        }
        cache.incoherent();
    }

    /** Sends {@code paths} in as few notifications as the payload limit allows; requeues them if that fails. */
    private void send(Connection c, List<String> paths) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
            StringBuilder payload = new StringBuilder();
            for (String path : paths) {
                if (payload.length() > 0 && payload.length() + 1 + path.length() > MAX_PAYLOAD) {
                    ps.setString(1, payload.toString());
                    ps.execute();
                    payload.setLength(0);
                }
                payload.append(payload.length() == 0 ? "" : "\n").append(path);
            }
            ps.setString(1, payload.toString());
            ps.execute();
        } catch (SQLException e) {
            outgoing.addAll(paths); // sent again, perhaps twice: an extra invalidation is harmless
            throw e;
        }
    }

    /**
     * Returns a connection that failed to its pool in a way the pool notices. Notifications are read through the
     * driver's own interface, past the pool's proxy, so the pool never saw the failure and would hand the dead
     * connection to the next caller; a statement through the proxy lets it see for itself and evict it.
     */
    private static void discard(Connection c) {
        if (c == null) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        } catch (SQLException expected) {
            // the pool has now seen the broken connection
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing more to do with it
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops within one interval, sending the changes still queued first (if the connection allows it). */
    @Override
    public void close() {
        closed = true;
        cache.incoherent();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
