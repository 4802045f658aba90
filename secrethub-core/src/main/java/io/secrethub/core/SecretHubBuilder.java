package io.secrethub.core;

import com.zaxxer.hikari.HikariDataSource;
import io.secrethub.core.auth.RateLimitSettings;
import io.secrethub.core.cluster.InstanceRegistry;
import io.secrethub.core.keyring.Barrier;
import io.secrethub.core.lease.LeaseSettings;
import io.secrethub.core.pki.CertificateAuthority;
import io.secrethub.core.runtime.HubComponents;
import io.secrethub.core.runtime.HubSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/** Configures a {@link SecretHub} ({@link SecretHub#builder()}). Only the data source is required. */
public final class SecretHubBuilder {

    /** The default of {@link #maxConcurrentRequests} when the pool's size is unknown (a pool other than HikariCP). */
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 128;

    private DataSource dataSource;
    private Clock clock = Clock.systemUTC();
    private String nodeName;
    private int defaultMaxVersions = 10;
    private int secretCacheSize = 10_000;
    private Duration tokenCacheTtl = Duration.ofSeconds(1);
    private Duration auditTimeout = Duration.ofSeconds(10);
    private int auditBatchSize = 1000;
    private int auditQueueCapacity = 100_000;
    private Path auditFile;
    private Duration keyringRefresh = Duration.ofSeconds(30);
    private Duration tokenSweep = Duration.ofMinutes(1);
    private Duration authCacheTtl = Duration.ofSeconds(1);
    private CaKeyType caKeyType = CaKeyType.EC_P256;
    private Duration agentCertificateTtl = CertificateAuthority.DEFAULT_AGENT_TTL;
    private Duration agentCertificateMaxLifetime = Duration.ofDays(90);
    private long encryptionsPerTerm = Barrier.DEFAULT_ENCRYPTIONS_PER_TERM;
    private LeaseSettings leases = LeaseSettings.defaults();
    private RateLimitSettings rateLimits = RateLimitSettings.defaults();
    private Duration instanceHeartbeat = InstanceRegistry.DEFAULT_INTERVAL;
    private Duration instanceStaleAfter = InstanceRegistry.DEFAULT_STALE_AFTER;
    /** Null: {@link #defaultMaxConcurrentRequests(DataSource)}. */
    private Integer maxConcurrentRequests;
    private Duration requestQueueTimeout = Duration.ofSeconds(30);

    SecretHubBuilder() {
    }

    /**
     * The PostgreSQL database (a pool, e.g. HikariCP). SecretHub keeps one connection for its audit
     * writer and one for secret-change notifications and borrows others per call, so size the pool for the
     * expected concurrency plus two.
     */
    public SecretHubBuilder dataSource(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        return this;
    }

    /** The clock for timestamps and token expiry (tests). */
    public SecretHubBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** This instance's name in audit records; default a random {@code node-…}. */
    public SecretHubBuilder nodeName(String nodeName) {
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        return this;
    }

    /** Versions kept per secret unless its metadata says otherwise (default 10, like Vault). */
    public SecretHubBuilder defaultMaxVersions(int versions) {
        if (versions < 1) {
            throw new IllegalArgumentException("defaultMaxVersions must be at least 1");
        }
        this.defaultMaxVersions = versions;
        return this;
    }

    /**
     * How many paths' latest versions are cached (default 10,000; 0 turns the cache off). Cached are the stored
     * ciphertexts, never plaintext, and every read is still decrypted, authorized and audited. Writes on this
     * instance are visible to its next read; writes on other instances on the same database arrive through
     * PostgreSQL notifications within milliseconds of their commit (and an entry is trusted for at most 5 s
     * without one). While notifications cannot be received, reads bypass the cache.
     */
    public SecretHubBuilder secretCacheSize(int paths) {
        if (paths < 0) {
            throw new IllegalArgumentException("secretCacheSize must not be negative");
        }
        this.secretCacheSize = paths;
        return this;
    }

    /**
     * How long a token lookup is served from memory (default 1 s; zero disables the cache). This
     * bounds how long a token revoked on <em>another</em> instance stays usable here; revocations on
     * this instance and expiry always take effect at once.
     */
    public SecretHubBuilder tokenCacheTtl(Duration ttl) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("tokenCacheTtl must not be negative");
        }
        this.tokenCacheTtl = ttl;
        return this;
    }

    /** How long a call waits for its audit record before failing closed (default 10 s). */
    public SecretHubBuilder auditTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("auditTimeout must be positive");
        }
        this.auditTimeout = timeout;
        return this;
    }

    /**
     * The most audit records waiting to be written (default 100,000). When the queue is full, new calls are refused
     * at once with {@link AuditUnavailableException} naming this capacity, rather than waiting for a timeout.
     */
    public SecretHubBuilder auditQueueCapacity(int records) {
        if (records < 1) {
            throw new IllegalArgumentException("auditQueueCapacity must be at least 1");
        }
        this.auditQueueCapacity = records;
        return this;
    }

    /**
     * Turns on the file audit device (off by default): every record of this instance is also appended to
     * {@code file} as a JSON line in Vault's audit format, chained and forced to disk before its call is answered,
     * with periodic checkpoints of the database chain's head, so {@code audit().verify} can tell when the newest
     * database records were deleted. One file per instance; the directory is created if missing. No rotation.
     */
    public SecretHubBuilder auditFile(Path file) {
        this.auditFile = Objects.requireNonNull(file, "auditFile");
        return this;
    }

    /** The most audit records per group-commit transaction (default 1000). */
    public SecretHubBuilder auditBatchSize(int records) {
        if (records < 1) {
            throw new IllegalArgumentException("auditBatchSize must be at least 1");
        }
        this.auditBatchSize = records;
        return this;
    }

    /** How often to look for keyring terms added by other instances (default 30 s). */
    public SecretHubBuilder keyringRefresh(Duration interval) {
        this.keyringRefresh = positive(interval, "keyringRefresh");
        return this;
    }

    /** How often to delete expired tokens (default 1 min). */
    public SecretHubBuilder tokenSweep(Duration interval) {
        this.tokenSweep = positive(interval, "tokenSweep");
        return this;
    }

    /**
     * How long compiled policies and AppRole roles are served from memory (default 1 s; zero
     * disables both caches). Changes on this instance take effect at once; this bounds how long a
     * policy or role changed on <em>another</em> instance keeps its old meaning here.
     */
    public SecretHubBuilder authCacheTtl(Duration ttl) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("authCacheTtl must not be negative");
        }
        this.authCacheTtl = ttl;
        return this;
    }

    /** The internal CA's key type when this hub creates it (default ECDSA P-256). */
    public SecretHubBuilder caKeyType(CaKeyType keyType) {
        this.caKeyType = Objects.requireNonNull(keyType, "caKeyType");
        return this;
    }

    /** Lifetime of issued agent certificates (default 30 days). */
    public SecretHubBuilder agentCertificateTtl(Duration ttl) {
        this.agentCertificateTtl = positive(ttl, "agentCertificateTtl");
        return this;
    }

    /**
     * How long an agent may keep renewing its certificate after it registered (default 90 days): renewed
     * certificates end by then at the latest, and after it renewal is refused, so the agent must be registered
     * again by someone holding a token, as a token's max TTL bounds its renewals.
     */
    public SecretHubBuilder agentCertificateMaxLifetime(Duration maxLifetime) {
        this.agentCertificateMaxLifetime = positive(maxLifetime, "agentCertificateMaxLifetime");
        return this;
    }

    /**
     * Encryptions under one keyring term after which the next encryption rotates first (default
     * {@value Barrier#DEFAULT_ENCRYPTIONS_PER_TERM}, below the 2^32 random-nonce budget of AES-GCM). Not API: the
     * core's tests set a small one.
     */
    SecretHubBuilder encryptionsPerTerm(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("encryptionsPerTerm must be positive");
        }
        this.encryptionsPerTerm = limit;
        return this;
    }

    /**
     * How often the expiration manager looks for due leases when it found none (default 1 s). While
     * full batches come back it claims the next one at once.
     */
    public SecretHubBuilder leasePollInterval(Duration interval) {
        this.leases = leases.withPollInterval(interval);
        return this;
    }

    /**
     * Lease revocations running at once on this instance (default 2). This bounds what an expiry
     * storm costs the database and the servers credentials live on; the backlog drains at this pace.
     */
    public SecretHubBuilder leaseRevocationConcurrency(int tasks) {
        this.leases = leases.withConcurrency(tasks);
        return this;
    }

    /**
     * The largest share of the time a backlog of expired leases may keep the expiration manager busy (default
     * 0.25; 1 revokes flat out). After each full batch it pauses in proportion, so a mass expiry is drained
     * steadily rather than at the expense of the requests being served.
     */
    public SecretHubBuilder leaseDutyCycle(double share) {
        this.leases = leases.withDutyCycle(share);
        return this;
    }

    /** Due leases claimed per query (default 500). */
    public SecretHubBuilder leaseBatchSize(int leases) {
        this.leases = this.leases.withBatchSize(leases);
        return this;
    }

    /** Failed revocation attempts after which a lease is marked irrevocable and reported (default 6). */
    public SecretHubBuilder leaseMaxAttempts(int attempts) {
        this.leases = leases.withMaxAttempts(attempts);
        return this;
    }

    /**
     * Backoff between revocation attempts of a lease: {@code base} after the first failure, doubling,
     * at most {@code max}, each jittered down by up to half (default 1 s, 5 min).
     */
    public SecretHubBuilder leaseRetryBackoff(Duration base, Duration max) {
        this.leases = leases.withBackoff(base, max);
        return this;
    }

    /** How long revoked leases remain visible to {@code leases().lookup} before they are purged (default 1 h). */
    public SecretHubBuilder revokedLeaseRetention(Duration retention) {
        this.leases = leases.withRevokedRetention(retention);
        return this;
    }

    /**
     * The rate limit per client address on calls that present no token: every agent certificate verification
     * ({@code agents().verify}) and every <em>failed</em> AppRole login or agent renewal costs one call of the
     * address's allowance, which grows back at {@code perSecond} up to {@code burst} (default 20/s, bursts of 100).
     * An address with nothing left is refused with {@link RateLimitedException} before the call does any work or
     * writes an audit record, so nobody can flood the audit log without a token. Successful logins cost nothing,
     * IPv6 addresses count per /64, and calls without a client address (in-process, see {@link ClientAddress})
     * are not limited. {@code perSecond} 0 turns the limit off.
     */
    public SecretHubBuilder unauthenticatedRateLimit(double perSecond, int burst) {
        this.rateLimits = rateLimits.withRate(perSecond, burst);
        return this;
    }

    /**
     * The most client addresses the rate limit tracks at once (default 100,000, a few MB): beyond it, idle
     * addresses are forgotten first, so an attacker with many addresses cannot exhaust memory.
     */
    public SecretHubBuilder unauthenticatedRateLimitAddresses(int addresses) {
        this.rateLimits = rateLimits.withMaxAddresses(addresses);
        return this;
    }

    /**
     * How often this instance writes its heartbeat row, and how old another instance's last heartbeat may be for it
     * to count as live in {@link Sys#instances} (default 1 s and 5 s). {@code staleAfter} must be at least twice the
     * interval, so one late beat does not drop a live instance.
     */
    public SecretHubBuilder instanceHeartbeat(Duration interval, Duration staleAfter) {
        positive(interval, "instanceHeartbeat interval");
        positive(staleAfter, "instanceHeartbeat staleAfter");
        if (staleAfter.compareTo(interval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("instanceHeartbeat staleAfter must be at least twice the interval");
        }
        this.instanceHeartbeat = interval;
        this.instanceStaleAfter = staleAfter;
        return this;
    }

    /**
     * How many calls this instance runs at once (0: no limit). Calls beyond it wait in one queue and go first come,
     * first served, so under load every caller waits about as long as the others, instead of a few waiting many
     * times the median behind the connection pool (which lets a thread that just returned a connection take it back
     * ahead of those waiting). The default is the pool's size and half as many again
     * ({@link #defaultMaxConcurrentRequests(int)}) for a HikariCP pool, else {@value #DEFAULT_MAX_CONCURRENT_REQUESTS}.
     * Keep it above the pool's size: the calls running keep the pool busy while the next one in the queue wakes
     * up. A call waiting only for a group commit (its audit record, an AppRole login's batch) gives its place up.
     */
    public SecretHubBuilder maxConcurrentRequests(int calls) {
        if (calls < 0) {
            throw new IllegalArgumentException("maxConcurrentRequests must not be negative, was " + calls);
        }
        this.maxConcurrentRequests = calls;
        return this;
    }

    /**
     * {@link #maxConcurrentRequests}'s default for a pool of {@code poolSize} connections: half as many again, so
     * the queue forms as soon as callers outnumber connections. Measured at 100 callers on 20 connections (the main
     * load test) and on 32 (perf-bench), and at 1,000 on 40 (docs/architecture.md, "Who waits at the pool").
     */
    public static int defaultMaxConcurrentRequests(int poolSize) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1, was " + poolSize);
        }
        return (int) Math.min(Integer.MAX_VALUE, poolSize + (poolSize + 1L) / 2);
    }

    /** The default for {@code dataSource}: by its size for a HikariCP pool, else the fixed default. */
    static int defaultMaxConcurrentRequests(DataSource dataSource) {
        return dataSource instanceof HikariDataSource pool ? defaultMaxConcurrentRequests(pool.getMaximumPoolSize())
                : DEFAULT_MAX_CONCURRENT_REQUESTS;
    }

    /**
     * The longest a call waits in the queue of {@link #maxConcurrentRequests} (default 30 s, HikariCP's default
     * wait for a connection); then it is refused with {@link OverloadedException} before doing any work.
     */
    public SecretHubBuilder requestQueueTimeout(Duration timeout) {
        this.requestQueueTimeout = positive(timeout, "requestQueueTimeout");
        return this;
    }

    /** Applies the schema migrations and returns a sealed instance. */
    public SecretHub build() {
        if (dataSource == null) {
            throw new IllegalStateException("dataSource is required");
        }
        HubComponents components = new HubComponents(new HubSettings(dataSource, clock, nodeName, defaultMaxVersions,
                secretCacheSize, tokenCacheTtl, auditTimeout, auditBatchSize, auditQueueCapacity, keyringRefresh,
                tokenSweep, authCacheTtl, caKeyType, agentCertificateTtl, agentCertificateMaxLifetime,
                encryptionsPerTerm, leases, rateLimits, instanceHeartbeat, instanceStaleAfter, auditFile,
                maxConcurrentRequests != null ? maxConcurrentRequests : defaultMaxConcurrentRequests(dataSource),
                requestQueueTimeout));
        components.start();
        return new SecretHub(components);
    }

    private static Duration positive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }
}
