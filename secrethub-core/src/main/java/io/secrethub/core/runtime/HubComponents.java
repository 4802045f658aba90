package io.secrethub.core.runtime;

import io.secrethub.core.Agents;
import io.secrethub.core.Audit;
import io.secrethub.core.AuditStats;
import io.secrethub.core.Auth;
import io.secrethub.core.DatabaseSecrets;
import io.secrethub.core.LeaseStats;
import io.secrethub.core.Leases;
import io.secrethub.core.Policies;
import io.secrethub.core.Secrets;
import io.secrethub.core.Sys;
import io.secrethub.core.access.AccessControl;
import io.secrethub.core.agents.AgentsService;
import io.secrethub.core.audit.AuditService;
import io.secrethub.core.audit.AuditWriter;
import io.secrethub.core.auth.AddressRateLimiter;
import io.secrethub.core.auth.AppRoleService;
import io.secrethub.core.auth.AuthService;
import io.secrethub.core.auth.TokensService;
import io.secrethub.core.authz.AclCache;
import io.secrethub.core.authz.PoliciesService;
import io.secrethub.core.authz.PolicyAuthorizer;
import io.secrethub.core.authz.PolicyStore;
import io.secrethub.core.cluster.InstanceRegistry;
import io.secrethub.core.crypto.Randoms;
import io.secrethub.core.database.AdminPools;
import io.secrethub.core.database.DatabaseLeaseHandler;
import io.secrethub.core.database.DatabaseSecretsService;
import io.secrethub.core.keyring.KeySource;
import io.secrethub.core.lease.ExpirationManager;
import io.secrethub.core.lease.LeasesService;
import io.secrethub.core.request.Admission;
import io.secrethub.core.request.RequestPipeline;
import io.secrethub.core.seal.SealManager;
import io.secrethub.core.secrets.ChangeNotices;
import io.secrethub.core.secrets.SecretCache;
import io.secrethub.core.secrets.SecretChangeFeed;
import io.secrethub.core.secrets.SecretsService;
import io.secrethub.core.storage.Database;
import io.secrethub.core.storage.Migrations;
import io.secrethub.core.sys.Maintenance;
import io.secrethub.core.sys.SysService;
import io.secrethub.core.token.TokenLeaseHandler;
import io.secrethub.core.token.TokenStore;
import java.time.Duration;
import java.util.List;

/**
 * One SecretHub instance's components, wired: the facades {@link io.secrethub.core.SecretHub} hands out and
 * the parts behind them, and the one ordered list of the services that start, seal and stop ({@link #start},
 * {@link #close}). Constructing wires only; no thread runs before {@link #start}.
 */
public final class HubComponents implements AutoCloseable {

    /** How long a cached secret is trusted without a change notification (the backstop for a lost one). */
    static final Duration SECRET_CACHE_MAX_AGE = Duration.ofSeconds(5);

    private final String node;
    private final SealManager seal;
    private final AuditWriter auditWriter;
    private final TokenStore tokens;
    private final AccessControl accessControl;
    private final SecretCache secretCache;
    private final SecretChangeFeed secretChanges;
    private final ExpirationManager expiration;
    private final HubServices services;
    private final Sys sys;
    private final Secrets secrets;
    private final Policies policies;
    private final Auth auth;
    private final Agents agents;
    private final Leases leases;
    private final DatabaseSecrets databaseSecrets;
    private final Audit audit;

    /** Applies the schema migrations and wires a sealed instance; {@link #start} starts it. */
    public HubComponents(HubSettings s) {
        Database database = new Database(s.dataSource());
        Migrations.apply(s.dataSource());
        this.node = s.nodeName() != null ? s.nodeName() : "node-" + Randoms.base64Url(6);
        this.auditWriter = new AuditWriter(database, s.auditTimeout(), s.auditBatchSize(), s.auditQueueCapacity(),
                node, s.auditFile());
        this.seal = new SealManager(database, s.clock(), auditWriter, node, RowBackfills.ALL,
                s.encryptionsPerTerm());
        this.tokens = new TokenStore(database, seal, s.clock(), s.tokenCacheTtl());
        PolicyStore policyStore = new PolicyStore(database, seal);
        PolicyAuthorizer authorizer = new PolicyAuthorizer(new AclCache(policyStore::load), s.authCacheTtl());
        this.accessControl = new AccessControl(tokens, s.clock(), authorizer);
        RequestPipeline pipeline = new RequestPipeline(seal, accessControl, auditWriter, s.clock(), node,
                new Admission(s.maxConcurrentRequests(), s.requestQueueTimeout()));
        this.policies = new PoliciesService(pipeline, database, authorizer, s.clock());
        AddressRateLimiter unauthenticated = new AddressRateLimiter(s.rateLimits());
        AppRoleService appRole = new AppRoleService(pipeline, database, tokens, s.authCacheTtl(), s.auditTimeout(),
                node, unauthenticated);
        this.auth = new AuthService(appRole, new TokensService(pipeline, database, tokens));
        AgentsService agentsService = new AgentsService(pipeline, database, s.clock(), s.caKeyType(),
                s.agentCertificateTtl(), s.agentCertificateMaxLifetime(), unauthenticated);
        this.agents = agentsService;
        this.secretCache = new SecretCache(s.secretCacheSize(), SECRET_CACHE_MAX_AGE);
        this.secretChanges = new SecretChangeFeed(s.dataSource(), secretCache, node);
        InstanceRegistry instances = new InstanceRegistry(database, s.clock(), node, s.instanceHeartbeat(),
                s.instanceStaleAfter(), seal::sealed, secretChanges::listening, () -> auditWriter.stats().queued());
        this.sys = new SysService(seal, pipeline, instances);
        // Policy and role changes on any instance are announced inside their transaction; when notices may have
        // been missed (the feed lost its connection, or its heartbeat did not come back), drop everything.
        secretChanges.onNotice(ChangeNotices.Kind.POLICY, authorizer::invalidate);
        secretChanges.onNotice(ChangeNotices.Kind.ROLE, role -> appRole.rolesChanged());
        secretChanges.onMissed(() -> {
            authorizer.invalidate(null);
            appRole.rolesChanged();
        });
        this.secrets = new SecretsService(pipeline, database, s.defaultMaxVersions(), secretCache, secretChanges);
        this.audit = new AuditService(database, pipeline, auditWriter);
        Maintenance maintenance = new Maintenance(seal, tokens, s.clock(), s.keyringRefresh(), s.tokenSweep(), node);
        AdminPools adminPools = new AdminPools(node);
        this.expiration = new ExpirationManager(database, seal, s.clock(), s.leases(),
                List.of(new TokenLeaseHandler(database, tokens, s.clock()),
                        new DatabaseLeaseHandler(database, adminPools)), node);
        tokens.onLeasesQueued(expiration::wake); // a revoked token's leases are revoked now, not at the next poll
        this.leases = new LeasesService(pipeline, database, expiration);
        this.databaseSecrets = new DatabaseSecretsService(pipeline, database, adminPools);

        // Dependency order: each service may use those above it. Start runs down the list; seal and close run
        // up it, so e.g. revocations in flight finish (or are handed back) before their admin pools close, and
        // the audit writer, which every call goes through, stops last.
        this.services = new HubServices(List.of(
                HubService.named("audit writer").onStart(auditWriter::start).onStop(auditWriter::close),
                HubService.named("token cache").onSeal(tokens::clearCache),
                HubService.named("AppRole logins").onStart(appRole::start).onSeal(appRole::wipe).onStop(appRole::close),
                HubService.named("agent CA").onSeal(agentsService::forgetCa),
                HubService.named("secret cache").onSeal(secretCache::clear),
                // Runs even with the cache off here: other instances' caches need this one's announcements.
                HubService.named("secret change feed").onStart(secretChanges::start).onStop(secretChanges::close),
                HubService.named("maintenance").onStart(maintenance::start).onStop(maintenance::close),
                HubService.named("database admin pools").onSeal(adminPools::closeAll).onStop(adminPools::close),
                HubService.named("expiration manager").onStart(expiration::start).onSeal(expiration::awaitIdle)
                        .onStop(expiration::close),
                // Late, so on close the row goes first: a stopping instance leaves the live list at once.
                HubService.named("instance heartbeat").onStart(instances::start).onStop(instances::close),
                // Last, so closing seals first (wiping the keys, running every seal action) and then stops the rest.
                HubService.named("seal").onStop(seal::seal)));
        this.seal.onSeal(services::sealed);
    }

    /** Starts the background services, in order; if one fails, those started are stopped again. */
    public void start() {
        services.start();
    }

    public String node() {
        return node;
    }

    public Sys sys() {
        return sys;
    }

    /** The change feed: this instance's and every other instance's secret changes, for listeners. */
    public SecretChangeFeed secretChanges() {
        return secretChanges;
    }

    public Secrets secrets() {
        return secrets;
    }

    public Policies policies() {
        return policies;
    }

    public Auth auth() {
        return auth;
    }

    public Agents agents() {
        return agents;
    }

    public Leases leases() {
        return leases;
    }

    public DatabaseSecrets databaseSecrets() {
        return databaseSecrets;
    }

    public Audit audit() {
        return audit;
    }

    public LeaseStats leaseStats() {
        return expiration.stats();
    }

    public AuditStats auditStats() {
        return auditWriter.stats();
    }

    /** Token issuing and lookup; AppRole logins build on it. */
    public TokenStore tokens() {
        return tokens;
    }

    /** Authentication and the authorizer seam; the policy engine installs itself here. */
    public AccessControl accessControl() {
        return accessControl;
    }

    /** The keys while unsealed. */
    public KeySource keys() {
        return seal;
    }

    /** The read cache of secrets. */
    public SecretCache secretCache() {
        return secretCache;
    }

    /** Seals this instance (wiping its keys) and stops its services, last started first. The data source stays open. */
    @Override
    public void close() {
        services.stop();
    }
}
