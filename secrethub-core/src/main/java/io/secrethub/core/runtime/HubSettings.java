package io.secrethub.core.runtime;

import io.secrethub.core.CaKeyType;
import io.secrethub.core.auth.RateLimitSettings;
import io.secrethub.core.lease.LeaseSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Everything a hub is configured with, as {@link io.secrethub.core.SecretHubBuilder} collected it (each value
 * already validated there, where the caller's mistake can be named by its setter).
 *
 * @param nodeName the instance's name in audit records, or {@code null} for a random {@code node-…}
 * @param instanceHeartbeat how often the instance writes its heartbeat row
 * @param instanceStaleAfter how old a heartbeat may be for its instance to count as live
 * @param auditFile the file audit device's file, or {@code null} for the database chain alone
 * @param maxConcurrentRequests calls run at once, the rest queued first come first served (0: no limit)
 * @param requestQueueTimeout the longest a call waits in that queue
 */
public record HubSettings(DataSource dataSource, Clock clock, String nodeName, int defaultMaxVersions,
        int secretCacheSize, Duration tokenCacheTtl, Duration auditTimeout, int auditBatchSize,
        int auditQueueCapacity, Duration keyringRefresh, Duration tokenSweep, Duration authCacheTtl,
        CaKeyType caKeyType, Duration agentCertificateTtl, Duration agentCertificateMaxLifetime,
        long encryptionsPerTerm, LeaseSettings leases, RateLimitSettings rateLimits, Duration instanceHeartbeat,
        Duration instanceStaleAfter, Path auditFile, int maxConcurrentRequests, Duration requestQueueTimeout) {

    public HubSettings {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(caKeyType, "caKeyType");
        Objects.requireNonNull(leases, "leases");
        Objects.requireNonNull(rateLimits, "rateLimits");
        Objects.requireNonNull(instanceHeartbeat, "instanceHeartbeat");
        Objects.requireNonNull(instanceStaleAfter, "instanceStaleAfter");
        Objects.requireNonNull(requestQueueTimeout, "requestQueueTimeout");
    }
}
