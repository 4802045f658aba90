package io.secrethub.core.cluster;

import io.secrethub.core.InstanceHealth;
import io.secrethub.core.InstanceInfo;
import io.secrethub.core.InvalidRequestException;
import io.secrethub.core.storage.Database;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's heartbeat row in {@code cluster_instances} (V12), and the live list read from it.
 *
 * <p>Every {@code interval} (default 1 s) one upsert sets the row's {@code last_seen} to the database's
 * {@code now()}; an instance is live while {@code last_seen} is within {@code staleAfter} (default 5 s) of the
 * database's {@code now()}, so a killed instance drops out of the list within {@code staleAfter} plus one query, and
 * instances whose clocks disagree still agree on who is live. Closing deletes the row, so a stopped instance drops
 * out at once. Rows not seen for {@link #PRUNE_AFTER} are deleted by whichever instance beats next (on its first beat
 * and every {@value #PRUNE_EVERY} beats after), so the table stays as small as the fleet.
 *
 * <p>Each beat borrows a pooled connection for two short statements. The health view ({@link #health}) reads only
 * what the last beat saw: a probe never waits on the database, and a beat that cannot get through (database down,
 * pool exhausted) shows as {@code databaseReachable = false} once the last success is older than
 * {@code staleAfter}.
 */
public final class InstanceRegistry implements AutoCloseable {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(5);
    /** Rows of instances not seen for this long are deleted. */
    public static final Duration PRUNE_AFTER = Duration.ofMinutes(10);
    static final int PRUNE_EVERY = 60;
    /** Each heartbeat statement gives up after this long (it normally takes a millisecond). */
    private static final int QUERY_TIMEOUT_SECONDS = 5;
    private static final int MAX_ADDRESS_LENGTH = 512;

    private static final Logger LOG = LoggerFactory.getLogger(InstanceRegistry.class);

    private static final String BEAT = "INSERT INTO cluster_instances (instance_id, hostname, api_address, "
            + "cluster_address, sealed, started_at, last_seen) VALUES (?, ?, ?, '', ?, ?, now()) "
            + "ON CONFLICT (instance_id) DO UPDATE SET hostname = EXCLUDED.hostname, "
            + "api_address = EXCLUDED.api_address, sealed = EXCLUDED.sealed, started_at = EXCLUDED.started_at, "
            + "last_seen = now() RETURNING last_seen, "
            + "(SELECT count(*) FROM cluster_instances o WHERE o.instance_id <> ? "
            + "AND o.last_seen > now() - make_interval(secs => ?)) + 1";
    private static final String PRUNE =
            "DELETE FROM cluster_instances WHERE last_seen < now() - make_interval(secs => ?)";
    private static final String LIVE = "SELECT instance_id, hostname, api_address, cluster_address, sealed, "
            + "started_at, last_seen FROM cluster_instances WHERE last_seen > now() - make_interval(secs => ?) "
            + "ORDER BY started_at, instance_id";
    private static final String LEAVE = "DELETE FROM cluster_instances WHERE instance_id = ? AND started_at = ?";

    private final Database database;
    private final String instanceId;
    private final Duration interval;
    private final Duration staleAfter;
    private final BooleanSupplier sealed;
    private final BooleanSupplier changeFeedConnected;
    private final IntSupplier auditQueueDepth;
    private final Instant startedAt;
    private final ScheduledExecutorService thread;
    private volatile String hostname = "";
    private volatile String apiAddress = "";
    private volatile long lastBeatNanos;
    private volatile Instant lastHeartbeat;
    private volatile int liveInstances;
    private volatile boolean failing;
    private long beats;

    public InstanceRegistry(Database database, Clock clock, String instanceId, Duration interval, Duration staleAfter,
            BooleanSupplier sealed, BooleanSupplier changeFeedConnected, IntSupplier auditQueueDepth) {
        this.database = Objects.requireNonNull(database, "database");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.staleAfter = Objects.requireNonNull(staleAfter, "staleAfter");
        this.sealed = sealed;
        this.changeFeedConnected = changeFeedConnected;
        this.auditQueueDepth = auditQueueDepth;
        // The row's started_at doubles as this incarnation's mark: leaving deletes only our own row.
        this.startedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "secrethub-heartbeat-" + instanceId);
            t.setDaemon(true);
            return t;
        });
    }

    /** Beats once at once (so the row exists when the hub is built), then every interval on its own thread. */
    public void start() {
        hostname = localHostname();
        beat();
        long every = interval.toMillis();
        thread.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * The API address written into the row, by a beat right away (so the others never list this instance without
     * its address for a whole interval); validated, as it is shown to other callers.
     */
    public void advertise(String address) {
        Objects.requireNonNull(address, "apiAddress");
        if (address.length() > MAX_ADDRESS_LENGTH || !address.matches("[\\x21-\\x7e]*")) {
            throw new InvalidRequestException("apiAddress must be printable ASCII without spaces, at most "
                    + MAX_ADDRESS_LENGTH + " characters");
        }
        this.apiAddress = address;
        try {
            thread.execute(this::beat);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the instance is closing: its row goes anyway
        }
    }

    private void beat() {
        try {
            boolean prune = beats++ % PRUNE_EVERY == 0;
            database.autocommit("write the instance heartbeat", c -> {
                try (PreparedStatement ps = c.prepareStatement(BEAT)) {
                    ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                    ps.setString(1, instanceId);
                    ps.setString(2, hostname);
                    ps.setString(3, apiAddress);
                    ps.setBoolean(4, sealed.getAsBoolean());
                    ps.setTimestamp(5, Timestamp.from(startedAt));
                    ps.setString(6, instanceId);
                    ps.setDouble(7, seconds(staleAfter));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        lastHeartbeat = rs.getTimestamp(1).toInstant();
                        liveInstances = rs.getInt(2);
                    }
                }
                if (prune) {
                    prune(c);
                }
                return null;
            });
            lastBeatNanos = System.nanoTime();
            if (failing) {
                failing = false;
                LOG.info("instance heartbeat of {} reaches the database again", instanceId);
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warn("instance heartbeat of {} failed ({}); retrying every {} ms", instanceId, e.getMessage(),
                        interval.toMillis());
            }
        }
    }

    private static void prune(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(PRUNE)) {
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            ps.setDouble(1, seconds(PRUNE_AFTER));
            int pruned = ps.executeUpdate();
            if (pruned > 0) {
                LOG.info("pruned {} heartbeat rows of instances not seen for {}", pruned, PRUNE_AFTER);
            }
        }
    }

    /** The live instances, oldest first; one query. */
    public List<InstanceInfo> live() {
        return database.autocommit("list the live instances", c -> {
            try (PreparedStatement ps = c.prepareStatement(LIVE)) {
                ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                ps.setDouble(1, seconds(staleAfter));
                List<InstanceInfo> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(1);
                        out.add(new InstanceInfo(id, rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getBoolean(5), rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant(),
                                id.equals(instanceId)));
                    }
                }
                return out;
            }
        });
    }

    /** What the last beat saw, and the live figures of the other threads; no database round trip. */
    public InstanceHealth health() {
        long last = lastBeatNanos;
        boolean reachable = last != 0 && System.nanoTime() - last <= staleAfter.toNanos();
        return new InstanceHealth(instanceId, startedAt, reachable, lastHeartbeat,
                changeFeedConnected.getAsBoolean(), auditQueueDepth.getAsInt(), liveInstances, staleAfter);
    }

    public Duration staleAfter() {
        return staleAfter;
    }

    /** Stops beating and deletes this incarnation's row (best effort), so others drop it at once. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(QUERY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            database.autocommit("delete the instance heartbeat", c -> {
                try (PreparedStatement ps = c.prepareStatement(LEAVE)) {
                    ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                    ps.setString(1, instanceId);
                    ps.setTimestamp(2, Timestamp.from(startedAt));
                    return ps.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("could not delete the heartbeat row of {} ({}); it drops out after {}", instanceId,
                    e.getMessage(), staleAfter);
        }
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    /** {@code HOSTNAME} (set in containers and most shells), else the local host's name; never blocks start-up. */
    private static String localHostname() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }
}
