package io.secrethub.core.secrets;

import io.secrethub.core.SecretChangeListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

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
 * <p>Changes that no instance may miss (deletions, destructions, policy and role changes, revocations) are
 * announced inside their own transaction instead ({@link ChangeNotices}, channel {@value ChangeNotices#CHANNEL});
 * this thread hears them too and hands them to the cache, to the hooks registered with {@link #onNotice} (the ACL
 * and AppRole role caches) and to the listeners.
 *
 * <p>Half-open connections: a connection that silently stops delivering (a dead peer behind a firewall or NAT
 * that never sends a reset) would otherwise leave the cache trusted forever. The thread therefore notifies itself
 * every {@code heartbeatEvery}; if its own heartbeat has not come back within {@code heartbeatBound} it treats the
 * connection as lost: caches dropped, listeners told that changes may have been missed, a new connection. The
 * connection's network timeout is the same bound, so a send that blocks on a dead socket fails too.
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
    /** How often the thread notifies itself to prove its connection still delivers. */
    static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(1);
    /** How long its own heartbeat may take to come back before the connection is taken for dead. */
    static final Duration HEARTBEAT_BOUND = Duration.ofSeconds(3);

    private final DataSource dataSource;
    private final SecretCache cache;
    private final String applicationName;
    private final LinkedBlockingQueue<String> outgoing = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final List<SecretChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<ChangeNotices.Kind, List<Consumer<String>>> hooks = new EnumMap<>(ChangeNotices.Kind.class);
    private final List<Runnable> onMissed = new CopyOnWriteArrayList<>();
    private final long heartbeatEveryNanos;
    private final long heartbeatBoundNanos;
    private final AtomicLong heartbeatsLost = new AtomicLong();
    private volatile boolean droppingIncoming;
    private volatile boolean closed;
    private volatile boolean listening;

    public SecretChangeFeed(DataSource dataSource, SecretCache cache, String node) {
        this(dataSource, cache, node, HEARTBEAT_EVERY, HEARTBEAT_BOUND);
    }

    SecretChangeFeed(DataSource dataSource, SecretCache cache, String node, Duration heartbeatEvery,
            Duration heartbeatBound) {
        for (ChangeNotices.Kind kind : ChangeNotices.Kind.values()) {
            hooks.put(kind, new CopyOnWriteArrayList<>());
        }
        this.heartbeatEveryNanos = heartbeatEvery.toNanos();
        this.heartbeatBoundNanos = heartbeatBound.toNanos();
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

    /**
     * Runs {@code hook} with each subject of every {@code kind} notice heard (from any instance, this one's
     * included), on the feed's thread: it must be quick.
     */
    public void onNotice(ChangeNotices.Kind kind, Consumer<String> hook) {
        hooks.get(kind).add(hook);
    }

    /** Runs {@code hook} whenever notices may have been missed (listening lost or restarted). */
    public void onMissed(Runnable hook) {
        onMissed.add(hook);
    }

    /**
     * For tests: while {@code drop} is set, every notification that reaches this instance is ignored, as if its
     * connection had silently stopped delivering (a half-open connection), heartbeats included.
     */
    public void dropIncomingForTesting(boolean drop) {
        droppingIncoming = drop;
    }

    /** How many times the heartbeat found the connection deaf and replaced it. */
    public long heartbeatsLost() {
        return heartbeatsLost.get();
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
        for (Runnable hook : onMissed) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.warn("a change feed hook failed: {}", e.toString());
            }
        }
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
                    s.execute("LISTEN " + ChangeNotices.CHANNEL);
                }
                // A read or write blocked on a dead socket fails after the heartbeat bound instead of hanging.
                c.setNetworkTimeout(Runnable::run, (int) TimeUnit.NANOSECONDS.toMillis(heartbeatBoundNanos));
                PGConnection pg = c.unwrap(PGConnection.class);
                int self = pg.getBackendPID();
                cache.coherent();
                listening = true;
                if (listenedBefore) {
                    tellMissed();
                }
                listenedBefore = true;
                backoffMillis = 100;
                List<String> batch = new ArrayList<>();
                Heartbeat heartbeat = new Heartbeat(applicationName + ":" + self + ":" + System.nanoTime());
                while (!closed) {
                    String first = outgoing.poll(SEND_EVERY_MILLIS, TimeUnit.MILLISECONDS);
                    if (first != null) {
                        batch.add(first);
                        outgoing.drainTo(batch);
                        send(c, batch);
                        batch.clear(); // a failed send requeued them itself
                    }
                    heartbeat.tick(c, System.nanoTime());
                    PGNotification[] notifications = pg.getNotifications(1);
                    if (notifications != null && !droppingIncoming) {
                        for (PGNotification n : notifications) {
                            if (ChangeNotices.CHANNEL.equals(n.getName())) {
                                heard(ChangeNotices.parse(n.getParameter()), heartbeat);
                                continue;
                            }
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
                listening = false;
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
        listening = false;
        cache.incoherent();
    }

    /** Whether the notification connection is listening now (for health checks). */
    public boolean listening() {
        return listening;
    }

    /** A notice announced inside a transaction, from any instance (this one's included), or a heartbeat. */
    private void heard(ChangeNotices.Notice notice, Heartbeat heartbeat) {
        if (notice.kind() == null) {
            return; // a kind this version does not know
        }
        for (String subject : notice.subjects()) {
            switch (notice.kind()) {
                case HEARTBEAT -> heartbeat.heard(subject);
                case SECRET -> {
                    cache.invalidate(subject);
                    tell(subject);
                }
                case TOKEN -> tellEach(l -> l.tokenRevoked(subject));
                case AGENT -> tellEach(l -> l.agentCertificatesChanged(subject));
                default -> {
                    // POLICY, ROLE: the caches registered their hooks
                }
            }
            for (Consumer<String> hook : hooks.get(notice.kind())) {
                try {
                    hook.accept(subject);
                } catch (RuntimeException e) {
                    LOG.warn("a change feed hook failed: {}", e.toString());
                }
            }
        }
    }

    private void tellEach(Consumer<SecretChangeListener> call) {
        for (SecretChangeListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("a secret change listener failed: {}", e.toString());
            }
        }
    }

    /**
     * The liveness probe of one listening connection: a notification to itself every {@code heartbeatEvery}; one
     * not heard back within {@code heartbeatBound} means the connection no longer delivers.
     */
    private final class Heartbeat {
        private final String prefix;
        private long sequence;
        private String outstanding;
        private long sentAt;
        private long lastSent = System.nanoTime();

        Heartbeat(String prefix) {
            this.prefix = prefix;
        }

        void tick(Connection c, long now) throws SQLException {
            if (outstanding != null) {
                if (now - sentAt > heartbeatBoundNanos) {
                    heartbeatsLost.incrementAndGet();
                    throw new SQLException("the notification connection stopped delivering: no heartbeat back within "
                            + TimeUnit.NANOSECONDS.toMillis(heartbeatBoundNanos) + " ms");
                }
                return;
            }
            if (now - lastSent < heartbeatEveryNanos) {
                return;
            }
            String id = prefix + ":" + (++sequence);
            ChangeNotices.send(c, ChangeNotices.Kind.HEARTBEAT, List.of(id));
            outstanding = id;
            sentAt = now;
            lastSent = now;
        }

        void heard(String id) {
            if (id.equals(outstanding)) {
                outstanding = null;
            }
        }
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
            // A dead connection fails here and the pool sees it; a live one (a heartbeat that never came back on
            // a connection that still answers) must not go back to the pool still listening.
            s.execute("UNLISTEN *");
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
