package io.secrethub.core.database;

import io.secrethub.core.BackendException;
import io.secrethub.core.DatabaseConfig;
import io.secrethub.core.DatabaseConfigInfo;
import io.secrethub.core.DatabaseCredentials;
import io.secrethub.core.DatabaseRole;
import io.secrethub.core.DatabaseSecrets;
import io.secrethub.core.InvalidRequestException;
import io.secrethub.core.InvalidTokenException;
import io.secrethub.core.LeaseState;
import io.secrethub.core.NotFoundException;
import io.secrethub.core.access.Operation;
import io.secrethub.core.keyring.Barrier;
import io.secrethub.core.keyring.RowBackfill;
import io.secrethub.core.lease.LeaseIds;
import io.secrethub.core.lease.LeaseStore;
import io.secrethub.core.lease.NewLease;
import io.secrethub.core.policy.Policy;
import io.secrethub.core.request.RequestContext;
import io.secrethub.core.request.RequestPipeline;
import io.secrethub.core.storage.Database;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hub.database()}. Issuing credentials is write-ahead: the lease is stored (and committed)
 * before the user is created, so a crash in between leaves a lease whose revocation finds no user
 * (harmless), never a user SecretHub does not know about.
 */
public final class DatabaseSecretsService implements DatabaseSecrets {

    /** Authenticate the config and role rows written before row MACs. */
    public static final List<RowBackfill> BACKFILLS =
            List.of(DatabaseStore.CONFIG_BACKFILL, DatabaseStore.ROLE_BACKFILL);

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseSecretsService.class);
    static final String CREDS_PATH = "database/creds/";
    private static final int VERIFY_TIMEOUT_SECONDS = 10;

    private final RequestPipeline pipeline;
    private final Database database;
    private final AdminPools pools;
    private volatile Runnable beforeCreation = () -> { };

    public DatabaseSecretsService(RequestPipeline pipeline, Database database, AdminPools pools) {
        this.pipeline = pipeline;
        this.database = database;
        this.pools = pools;
    }

    @Override
    public void writeConfig(String token, String name, DatabaseConfig config) {
        Objects.requireNonNull(config, "config");
        pipeline.execute(Operation.DATABASE_CONFIG_WRITE, token, name, DatabaseSecretsService::validName, null, ctx -> {
            if (config.verifyConnection()) {
                verify(config);
            }
            byte[] password = config.password().getBytes(StandardCharsets.UTF_8);
            byte[] encrypted;
            try {
                encrypted = ctx.keys().barrier().encrypt(password, DatabaseStore.passwordAad(ctx.path()));
            } finally {
                Arrays.fill(password, (byte) 0);
            }
            database.transaction("write a database config", c -> {
                DatabaseStore.upsertConfig(c, ctx.path(), config.connectionUrl(), config.username(), encrypted,
                        config.allowedRoles(), config.maxOpenConnections(), now(ctx), ctx.keys().system().rows());
                ctx.auditSuccess("allowed_roles=" + config.allowedRoles().size());
                return null;
            });
            return null;
        });
    }

    @Override
    public DatabaseConfigInfo readConfig(String token, String name) {
        return pipeline.execute(Operation.DATABASE_CONFIG_READ, token, name, DatabaseSecretsService::validName, null,
                ctx -> database.autocommit("read a database config",
                        c -> DatabaseStore.config(c, ctx.path(), ctx.keys().system().rows()))
                        .map(s -> new DatabaseConfigInfo(s.name(), s.connectionUrl(), s.username(), s.allowedRoles(),
                                s.maxConnections()))
                        .orElseThrow(() -> new NotFoundException("no database config named " + ctx.path())));
    }

    @Override
    public void writeRole(String token, String name, DatabaseRole role) {
        Objects.requireNonNull(role, "role");
        pipeline.execute(Operation.DATABASE_ROLE_WRITE, token, name, DatabaseSecretsService::validName, null, ctx ->
                database.transaction("write a database role", c -> {
                    if (!DatabaseStore.lockConfig(c, role.dbName())) {
                        throw new NotFoundException("no database config named " + role.dbName());
                    }
                    DatabaseStore.upsertRole(c, ctx.path(), role, now(ctx), ctx.keys().system().rows());
                    ctx.auditSuccess("db=" + role.dbName());
                    return null;
                }));
    }

    @Override
    public DatabaseRole readRole(String token, String name) {
        return pipeline.execute(Operation.DATABASE_ROLE_READ, token, name, DatabaseSecretsService::validName, null,
                ctx -> database.autocommit("read a database role",
                        c -> DatabaseStore.role(c, ctx.path(), ctx.keys().system().rows()))
                        .orElseThrow(() -> new NotFoundException("no database role named " + ctx.path())));
    }

    @Override
    public DatabaseCredentials creds(String token, String roleName) {
        return pipeline.execute(Operation.DATABASE_CREDS, token, roleName, DatabaseSecretsService::validName, null, ctx
                -> {
            DatabaseStore.RoleAndConfig rc = database.autocommit("load a database role",
                    c -> DatabaseStore.roleAndConfig(c, ctx.path(), ctx.keys().system().rows()))
                    .orElseThrow(() -> new NotFoundException("no database role named " + ctx.path()));
            if (!rc.config().allows(ctx.path())) {
                throw new InvalidRequestException("database config " + rc.config().name() + " does not allow role "
                        + ctx.path() + " (allowedRoles)");
            }
            return issue(ctx, rc);
        });
    }

    private DatabaseCredentials issue(RequestContext ctx, DatabaseStore.RoleAndConfig rc) {
        Barrier barrier = ctx.keys().barrier();
        DatabaseRole role = rc.role();
        Instant now = now(ctx);
        Instant expires = now.plus(role.defaultTtl());
        String username = Credentials.username(rc.roleName());
        String leaseId = LeaseIds.newId(CREDS_PATH + rc.roleName());
        byte[] payload = new LeasePayload(rc.config().name(), rc.roleName(), username).encrypt(barrier, leaseId);
        // Owned by the caller's token: revoking (or the expiry of) that token revokes this user too. Stored only
        // while the token still exists, so a revocation racing this call cannot miss the lease.
        boolean stored = database.autocommit("record a database lease", c -> LeaseStore.insertOwned(c,
                new NewLease(leaseId, DatabaseLeaseHandler.KIND, now, role.defaultTtl(), expires,
                        now.plus(role.maxTtl()), true, payload, ctx.caller().accessor())
                        .authenticated(ctx.keys().system().rows())));
        if (!stored) {
            throw new InvalidTokenException("the token was revoked");
        }
        char[] password = Credentials.password();
        try {
            // The verifier costs a PBKDF2 run: compute it before taking one of the few admin connections.
            Map<String, String> values = Map.of(SqlTemplates.NAME, username,
                    SqlTemplates.PASSWORD, Credentials.verifier(password),
                    SqlTemplates.EXPIRATION, Credentials.expiration(expires));
            beforeCreation.run();
            try (Connection admin = pools.connection(rc.config(), barrier)) {
                // Under the user's lock, and only while the lease is still active: a revocation that ran while
                // this call waited (revokePrefix, a short TTL) found no user and must not be outlived by one.
                AdminStatements.inTransaction(admin, "creation", role.creationStatements(), values, () -> {
                    AdminStatements.lockUserForTransaction(admin, username);
                    requireActive(leaseId, ctx);
                });
            } catch (AdminStatements.CommitUncertainException e) {
                expireQuietly(leaseId, now, e); // the user may exist: let revocation (which checks) tidy up
                throw e;
            } catch (SQLException | RuntimeException e) {
                forgetQuietly(leaseId, e); // rolled back or never started: there is no user to revoke
                throw e instanceof SQLException
                        ? new BackendException("creation: the admin connection failed (SQLSTATE "
                        + ((SQLException) e).getSQLState() + ")", e) : (RuntimeException) e;
            }
            try {
                ctx.auditSuccess("lease=" + leaseId); // the lease id names the user without giving it away
            } catch (RuntimeException e) {
                expireQuietly(leaseId, now, e); // never handed out: revoke it in the background
                throw e;
            }
            return new DatabaseCredentials(username, new String(password), leaseId, role.defaultTtl(), true, expires);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private void requireActive(String leaseId, RequestContext ctx) {
        boolean active = database.autocommit("check a database lease", c -> LeaseStore.find(c, leaseId))
                .map(stored -> stored.verified(ctx.keys().system().rows()).lease().state() == LeaseState.ACTIVE)
                .orElse(false);
        if (!active) {
            throw new BackendException("creation: the lease was revoked before the user was created; nothing was"
                    + " created");
        }
    }

    /** Runs before a creation takes its admin connection; tests delay it there to race a revocation. */
    void beforeCreation(Runnable hook) {
        this.beforeCreation = hook;
    }

    private void forgetQuietly(String leaseId, Exception cause) {
        try {
            database.autocommit("forget an unissued database lease", c -> LeaseStore.deleteActive(c, leaseId));
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            LOG.warn("could not delete lease {} of credentials that were never created; it is revoked (a no-op)"
                    + " when it expires", leaseId);
        }
    }

    private void expireQuietly(String leaseId, Instant now, Exception cause) {
        try {
            database.autocommit("expire an unissued database lease", c -> {
                LeaseStore.expireNow(c, leaseId, now);
                return null;
            });
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            LOG.warn("could not expire lease {} of credentials that were not handed out; it expires at its TTL",
                    leaseId);
        }
    }

    /** Connects once with the new settings, so a typo is refused at write time rather than at the first creds call. */
    private static void verify(DatabaseConfig config) {
        Properties props = ConnectionUrls.defaults(config.connectionUrl());
        props.setProperty("user", config.username());
        props.setProperty("password", config.password());
        props.setProperty("connectTimeout", Integer.toString(VERIFY_TIMEOUT_SECONDS));
        props.setProperty("loginTimeout", Integer.toString(VERIFY_TIMEOUT_SECONDS));
        props.setProperty("socketTimeout", Integer.toString(VERIFY_TIMEOUT_SECONDS * 3));
        try (Connection c = DriverManager.getConnection(config.connectionUrl(),
                props); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        } catch (SQLException e) {
            throw new InvalidRequestException("could not connect to " + config.connectionUrl() + " as "
                    + config.username() + " (SQLSTATE " + e.getSQLState() + ")");
        }
    }

    static String validName(String name) {
        if (!Policy.isValidName(name)) {
            throw new InvalidRequestException("invalid name: expected 1-" + Policy.MAX_NAME_LENGTH
                    + " characters of a-z, 0-9, '-', '_' or '.', starting with a letter or digit");
        }
        return name;
    }

    private static Instant now(RequestContext ctx) {
        return ctx.time().truncatedTo(ChronoUnit.MICROS);
    }
}
