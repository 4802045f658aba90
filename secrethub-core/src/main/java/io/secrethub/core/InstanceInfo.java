package io.secrethub.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One live instance on the shared database, as its heartbeat row describes it ({@link Sys#instances(String)}).
 *
 * @param instanceId the instance's name ({@link SecretHub#node()}), also its name in audit records
 * @param hostname the host it runs on, as it saw itself
 * @param apiAddress the address it advertises for its API ({@link Sys#advertise(String)}), or empty if none
 * @param clusterAddress an address for instance-to-instance traffic; always empty: instances never talk to each other
 *     (PostgreSQL is the only coordinator)
 * @param sealed whether it was sealed at its last heartbeat
 * @param startedAt when it started, by its own clock
 * @param lastSeen its last heartbeat, by the database's clock
 * @param self whether this is the instance that answered
 */
public record InstanceInfo(String instanceId, String hostname, String apiAddress, String clusterAddress,
        boolean sealed, Instant startedAt, Instant lastSeen, boolean self) {

    public InstanceInfo {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(apiAddress, "apiAddress");
        Objects.requireNonNull(clusterAddress, "clusterAddress");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(lastSeen, "lastSeen");
    }
}
