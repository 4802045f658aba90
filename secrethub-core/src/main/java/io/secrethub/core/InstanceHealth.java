package io.secrethub.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * This instance's view of itself and the cluster, for health checks ({@link Sys#health()}). Taken from what the
 * background threads last saw, so asking costs no database round trip and never blocks on the database.
 *
 * @param instanceId this instance's name ({@link SecretHub#node()})
 * @param startedAt when this instance started
 * @param databaseReachable whether its heartbeat reached the database within the staleness bound
 * @param lastHeartbeat the database's time of its last successful heartbeat, or {@code null} before the first
 * @param changeFeedConnected whether its change-notification connection is listening (while not, reads bypass the
 *     secret cache and WebSocket pushes of other instances' changes wait until it is back)
 * @param auditQueueDepth audit records queued and not yet written
 * @param liveInstances live instances on the database (this one included) at the last heartbeat; 0 before the first
 * @param staleAfter the staleness bound: an instance whose heartbeat is older is not live
 */
public record InstanceHealth(String instanceId, Instant startedAt, boolean databaseReachable, Instant lastHeartbeat,
        boolean changeFeedConnected, int auditQueueDepth, int liveInstances, Duration staleAfter) {

    public InstanceHealth {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(staleAfter, "staleAfter");
    }

    /** {@link #lastHeartbeat}, if there was one. */
    public Optional<Instant> lastHeartbeatTime() {
        return Optional.ofNullable(lastHeartbeat);
    }
}
