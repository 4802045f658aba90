package io.secrethub.core;

import io.secrethub.core.access.AccessControl;
import io.secrethub.core.agents.AgentsService;
import io.secrethub.core.auth.AppRoleService;
import io.secrethub.core.auth.AuthService;
import io.secrethub.core.auth.TokensService;
import io.secrethub.core.authz.PoliciesService;
import io.secrethub.core.authz.PolicyAuthorizer;
import io.secrethub.core.authz.PolicyStore;
import io.secrethub.core.pki.CaKeyType;
import io.secrethub.core.pki.CertificateAuthority;
import io.secrethub.core.policy.AclCache;
import io.secrethub.core.audit.AuditService;
import io.secrethub.core.audit.AuditWriter;
import io.secrethub.core.crypto.Randoms;
import io.secrethub.core.database.AdminPools;
import io.secrethub.core.database.DatabaseLeaseHandler;
import io.secrethub.core.database.DatabaseSecretsService;
import io.secrethub.core.keyring.KeySource;
import io.secrethub.core.lease.ExpirationManager;
import io.secrethub.core.lease.LeaseSettings;
import io.secrethub.core.lease.LeasesService;
import io.secrethub.core.request.RequestPipeline;
import io.secrethub.core.seal.SealManager;
import io.secrethub.core.secrets.SecretCache;
import io.secrethub.core.secrets.SecretChangeFeed;
import io.secrethub.core.secrets.SecretsService;
import io.secrethub.core.storage.Database;
import io.secrethub.core.storage.Migrations;
import io.secrethub.core.sys.Maintenance;
import io.secrethub.core.sys.SysService;
import io.secrethub.core.token.TokenLeaseHandler;
import io.secrethub.core.token.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A SecretHub instance over a PostgreSQL database: a Vault-style secrets manager as a Java API.
 *
 * <pre>{@code
 * SecretHub hub = SecretHub.builder().dataSource(ds).build();   // applies migrations; starts sealed
 * InitResult init = hub.sys().initialize(3, 2);                 // once per database
 * hub.sys().unseal(init.shares().get(0));
 * hub.sys().unseal(init.shares().get(2));
 * hub.secrets().write(init.rootToken(), "app/db/password", Map.of("password", "…"));
 * }</pre>
 *
 * <p>Several instances may share one database; each is unsealed on its own. Close the instance to
 * seal it and stop its background threads (the data source stays open: it is the caller's).
 */
public final class SecretHub implements AutoCloseable {

    /** How long a cached secret is trusted without a change notification (the backstop for a lost one). */
    static final Duration SECRET_CACHE_MAX_AGE = Duration.ofSeconds(5);

    private final SealManager seal;
    private final AuditWriter auditWriter;
    private final Maintenance maintenance;
    private final Sys sys;
    private final Secrets secrets;
    private final Audit audit;
    private final TokenStore tokens;
    private final AccessControl accessControl;
    private final RequestPipeline pipeline;
    private final String node;
    private final Policies policies;
    private final Auth auth;
    private final Agents agents;
    private final SecretChangeFeed secretChanges;
    private final SecretCache secretCache;
    private final AppRoleService appRole;
    private final AdminPools adminPools;
    private final ExpirationManager expiration;
    private final Leases leases;
    private final DatabaseSecrets databaseSecrets;

    private SecretHub(Builder b) {
        Database database = new Database(b.dataSource);
        Migrations.apply(b.dataSource);
        this.node = b.nodeName != null ? b.nodeName : "node-" + Randoms.base64Url(6);
        this.auditWriter = new AuditWriter(database, b.auditTimeout, b.auditBatchSize, b.auditQueueCapacity, node);
        this.seal = new SealManager(database, b.clock, auditWriter, node);
        this.tokens = new TokenStore(database, seal, b.clock, b.tokenCacheTtl);
        PolicyStore policyStore = new PolicyStore(database);
        PolicyAuthorizer authorizer = new PolicyAuthorizer(new AclCache(policyStore::load), b.authCacheTtl);
        this.accessControl = new AccessControl(tokens, b.clock, authorizer);
        this.pipeline = new RequestPipeline(seal, accessControl, auditWriter, b.clock, node);
        this.seal.onSeal(tokens::clearCache);
        this.policies = new PoliciesService(pipeline, database, authorizer, b.clock);
        this.appRole = new AppRoleService(pipeline, database, tokens, b.authCacheTtl, b.auditTimeout, node);
        this.seal.onSeal(appRole::wipe);
        this.auth = new AuthService(appRole, new TokensService(pipeline, database, tokens));
        AgentsService agentsService = new AgentsService(pipeline, database, b.clock, b.caKeyType, b.agentCertificateTtl);
        this.seal.onSeal(agentsService::forgetCa);
        this.agents = agentsService;
        this.sys = new SysService(seal, pipeline);
        this.secretCache = new SecretCache(b.secretCacheSize, SECRET_CACHE_MAX_AGE);
        // Runs even with the cache off here: other instances' caches need this one's announcements.
        this.secretChanges = new SecretChangeFeed(b.dataSource, secretCache, node);
        this.seal.onSeal(secretCache::clear);
        this.secrets = new SecretsService(pipeline, database, b.defaultMaxVersions, secretCache, secretChanges);
        this.audit = new AuditService(database, seal, auditWriter);
        this.maintenance = new Maintenance(seal, tokens, b.clock, b.keyringRefresh, b.tokenSweep, node);
        this.adminPools = new AdminPools(node);
        this.expiration = new ExpirationManager(database, seal, b.clock, b.leaseSettings(), List.of(
                new TokenLeaseHandler(database, tokens, b.clock), new DatabaseLeaseHandler(database, adminPools)), node);
        // In this order: revocations in flight finish (or are handed back) before their admin pools close.
        this.seal.onSeal(expiration::awaitIdle);
        this.seal.onSeal(adminPools::closeAll);
        this.leases = new LeasesService(pipeline, database, expiration);
        this.databaseSecrets = new DatabaseSecretsService(pipeline, database, adminPools);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Seal lifecycle and keys. */
    public Sys sys() {
        return sys;
    }

    /** Versioned key/value secrets. */
    public Secrets secrets() {
        return secrets;
    }

    /**
     * Tells {@code listener} of every secret change from now on, on this instance and on every other instance on the
     * same database (through PostgreSQL notifications, within milliseconds of the commit). See
     * {@link SecretChangeListener} for what it is told and on which thread.
     */
    public void addSecretChangeListener(SecretChangeListener listener) {
        secretChanges.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /** Stops telling {@code listener}; a call already under way finishes. */
    public void removeSecretChangeListener(SecretChangeListener listener) {
        secretChanges.removeListener(listener);
    }

    /** Named ACL policies ({@code sys/policies/acl/<name>}). */
    public Policies policies() {
        return policies;
    }

    /** AppRole logins and token housekeeping ({@code auth/...}). */
    public Auth auth() {
        return auth;
    }

    /** Agent registration with X.509 certificates ({@code agents/<agentId>}). */
    public Agents agents() {
        return agents;
    }

    /** Leases of tokens and dynamic credentials: lookup, renewal, revocation ({@code sys/leases/...}). */
    public Leases leases() {
        return leases;
    }

    /** Dynamic PostgreSQL credentials ({@code database/...}). */
    public DatabaseSecrets database() {
        return databaseSecrets;
    }

    /** What this instance's expiration manager has revoked, failed and given up on since it started. */
    public LeaseStats leaseStats() {
        return expiration.stats();
    }

    /** The tamper-evident audit log. */
    public Audit audit() {
        return audit;
    }

    /** Group-commit figures of this instance's audit writer (batches, records per batch, time per batch). */
    public AuditWriter.Stats auditStats() {
        return auditWriter.stats();
    }

    /** This instance's name in audit records. */
    public String node() {
        return node;
    }

    /** The read cache of secrets (tests look into it). */
    SecretCache secretCache() {
        return secretCache;
    }

    /** Token issuing and lookup; AppRole logins build on it. */
    TokenStore tokens() {
        return tokens;
    }

    /** Authentication and the authorizer seam; the policy engine installs itself here. */
    AccessControl accessControl() {
        return accessControl;
    }

    /** The keys while unsealed (barrier for encrypting new kinds of data, e.g. the CA key). */
    KeySource keys() {
        return seal;
    }

    /** The path every call takes; new facades (auth, agents, policies) run through it. */
    RequestPipeline pipeline() {
        return pipeline;
    }

    /** Seals this instance (wiping its keys) and stops its threads. The data source is left open. */
    @Override
    public void close() {
        seal.seal();
        secretChanges.close();
        appRole.close();
        expiration.close();
        maintenance.close();
        adminPools.close();
        auditWriter.close();
    }

    /** Configures a {@link SecretHub}. Only the data source is required. */
    public static final class Builder {

        private DataSource dataSource;
        private Clock clock = Clock.systemUTC();
        private String nodeName;
        private int defaultMaxVersions = 10;
        private int secretCacheSize = 10_000;
        private Duration tokenCacheTtl = Duration.ofSeconds(1);
        private Duration auditTimeout = Duration.ofSeconds(10);
        private int auditBatchSize = 1000;
        private int auditQueueCapacity = 100_000;
        private Duration keyringRefresh = Duration.ofSeconds(30);
        private Duration tokenSweep = Duration.ofMinutes(1);
        private Duration authCacheTtl = Duration.ofSeconds(1);
        private CaKeyType caKeyType = CaKeyType.EC_P256;
        private Duration agentCertificateTtl = CertificateAuthority.DEFAULT_AGENT_TTL;
        private final LeaseSettings leaseDefaults = LeaseSettings.defaults();
        private Duration leasePollInterval = leaseDefaults.pollInterval();
        private int leaseConcurrency = leaseDefaults.concurrency();
        private int leaseBatchSize = leaseDefaults.batchSize();
        private int leaseMaxAttempts = leaseDefaults.maxAttempts();
        private Duration leaseBackoffBase = leaseDefaults.backoffBase();
        private Duration leaseBackoffMax = leaseDefaults.backoffMax();
        private Duration revokedLeaseRetention = leaseDefaults.revokedRetention();
        private double leaseDutyCycle = leaseDefaults.dutyCycle();

        private Builder() {
        }

        /**
         * The PostgreSQL database (a pool, e.g. HikariCP). SecretHub keeps one connection for its audit
         * writer and one for secret-change notifications and borrows others per call, so size the pool for the
         * expected concurrency plus two.
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** The clock for timestamps and token expiry (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** This instance's name in audit records; default a random {@code node-…}. */
        public Builder nodeName(String nodeName) {
            this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
            return this;
        }

        /** Versions kept per secret unless its metadata says otherwise (default 10, like Vault). */
        public Builder defaultMaxVersions(int versions) {
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
        public Builder secretCacheSize(int paths) {
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
        public Builder tokenCacheTtl(Duration ttl) {
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("tokenCacheTtl must not be negative");
            }
            this.tokenCacheTtl = ttl;
            return this;
        }

        /** How long a call waits for its audit record before failing closed (default 10 s). */
        public Builder auditTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("auditTimeout must be positive");
            }
            this.auditTimeout = timeout;
            return this;
        }

        /** The most audit records per group-commit transaction (default 1000). */
        public Builder auditBatchSize(int records) {
            if (records < 1) {
                throw new IllegalArgumentException("auditBatchSize must be at least 1");
            }
            this.auditBatchSize = records;
            return this;
        }

        /** How often to look for keyring terms added by other instances (default 30 s). */
        public Builder keyringRefresh(Duration interval) {
            this.keyringRefresh = positive(interval, "keyringRefresh");
            return this;
        }

        /** How often to delete expired tokens (default 1 min). */
        public Builder tokenSweep(Duration interval) {
            this.tokenSweep = positive(interval, "tokenSweep");
            return this;
        }

        /**
         * How long compiled policies and AppRole roles are served from memory (default 1 s; zero
         * disables both caches). Changes on this instance take effect at once; this bounds how long a
         * policy or role changed on <em>another</em> instance keeps its old meaning here.
         */
        public Builder authCacheTtl(Duration ttl) {
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("authCacheTtl must not be negative");
            }
            this.authCacheTtl = ttl;
            return this;
        }

        /** The internal CA's key type when this hub creates it (default ECDSA P-256). */
        public Builder caKeyType(CaKeyType keyType) {
            this.caKeyType = Objects.requireNonNull(keyType, "caKeyType");
            return this;
        }

        /** Lifetime of issued agent certificates (default 30 days). */
        public Builder agentCertificateTtl(Duration ttl) {
            this.agentCertificateTtl = positive(ttl, "agentCertificateTtl");
            return this;
        }

        /**
         * How often the expiration manager looks for due leases when it found none (default 1 s). While
         * full batches come back it claims the next one at once.
         */
        public Builder leasePollInterval(Duration interval) {
            this.leasePollInterval = positive(interval, "leasePollInterval");
            return this;
        }

        /**
         * Lease revocations running at once on this instance (default 2). This bounds what an expiry
         * storm costs the database and the servers credentials live on; the backlog drains at this pace.
         */
        public Builder leaseRevocationConcurrency(int tasks) {
            if (tasks < 1 || tasks > 64) {
                throw new IllegalArgumentException("leaseRevocationConcurrency must be between 1 and 64");
            }
            this.leaseConcurrency = tasks;
            return this;
        }

        /**
         * The largest share of the time a backlog of expired leases may keep the expiration manager busy (default
         * 0.25; 1 revokes flat out). After each full batch it pauses in proportion, so a mass expiry is drained
         * steadily rather than at the expense of the requests being served.
         */
        public Builder leaseDutyCycle(double share) {
            if (!(share > 0 && share <= 1)) {
                throw new IllegalArgumentException("leaseDutyCycle must be more than 0 and at most 1, was " + share);
            }
            this.leaseDutyCycle = share;
            return this;
        }

        /** Due leases claimed per query (default 500). */
        public Builder leaseBatchSize(int leases) {
            if (leases < 1 || leases > 10_000) {
                throw new IllegalArgumentException("leaseBatchSize must be between 1 and 10000");
            }
            this.leaseBatchSize = leases;
            return this;
        }

        /** Failed revocation attempts after which a lease is marked irrevocable and reported (default 6). */
        public Builder leaseMaxAttempts(int attempts) {
            if (attempts < 1 || attempts > 100) {
                throw new IllegalArgumentException("leaseMaxAttempts must be between 1 and 100");
            }
            this.leaseMaxAttempts = attempts;
            return this;
        }

        /**
         * Backoff between revocation attempts of a lease: {@code base} after the first failure, doubling,
         * at most {@code max}, each jittered down by up to half (default 1 s, 5 min).
         */
        public Builder leaseRetryBackoff(Duration base, Duration max) {
            this.leaseBackoffBase = positive(base, "leaseRetryBackoff base");
            this.leaseBackoffMax = positive(max, "leaseRetryBackoff max");
            if (max.compareTo(base) < 0) {
                throw new IllegalArgumentException("leaseRetryBackoff max must not be shorter than base");
            }
            return this;
        }

        /** How long revoked leases remain visible to {@code leases().lookup} before they are purged (default 1 h). */
        public Builder revokedLeaseRetention(Duration retention) {
            this.revokedLeaseRetention = positive(retention, "revokedLeaseRetention");
            return this;
        }

        private LeaseSettings leaseSettings() {
            return new LeaseSettings(leasePollInterval, leaseConcurrency, leaseBatchSize, leaseMaxAttempts,
                    leaseBackoffBase, leaseBackoffMax, leaseDefaults.claimTimeout(), revokedLeaseRetention, leaseDutyCycle);
        }

        /** Applies the schema migrations and returns a sealed instance. */
        public SecretHub build() {
            if (dataSource == null) {
                throw new IllegalStateException("dataSource is required");
            }
            return new SecretHub(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
