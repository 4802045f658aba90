package io.secrethub.core.testing;

import io.secrethub.core.AppRoleSettings;
import io.secrethub.core.InitResult;
import io.secrethub.core.LoginResult;
import io.secrethub.core.SecretHub;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * An initialized, unsealed SecretHub on a test class's own database, with what a test needs beside it: the root
 * token, the unseal shares and the database itself. Handed out by {@link UnsealedHubExtension} (usually through
 * {@link UnsealedHub @UnsealedHub}), which closes it after the class, together with every instance and pool
 * opened through it.
 */
public final class HubFixture implements AutoCloseable {

    private static final AtomicLong ROLES = new AtomicLong();

    private final SecretHub hub;
    private final InitResult init;
    private final DataSource dataSource;
    private final DataSource hubPool;
    private final Deque<AutoCloseable> opened;

    private HubFixture(SecretHub hub, InitResult init, DataSource dataSource, DataSource hubPool,
            Deque<AutoCloseable> opened) {
        this.hub = hub;
        this.init = init;
        this.dataSource = dataSource;
        this.hubPool = hubPool;
        this.opened = opened;
    }

    /**
     * Builds an instance on {@code database} with {@code settings}, initializes it (3 shares, threshold 2) and
     * unseals it. {@code poolSize > 0} gives the instance a pool of its own of that size; 0 puts it on
     * {@code database}'s pool.
     */
    static HubFixture start(DataSource database, int poolSize, HubSettings settings) {
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            DataSource hubPool = poolSize > 0 ? remember(opened, Pools.another(database, poolSize)) : database;
            SecretHub hub = remember(opened, build(hubPool, settings));
            InitResult init = Unsealing.initialize(hub);
            return new HubFixture(hub, init, database, hubPool, opened);
        } catch (RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
    }

    /** The unsealed instance. */
    public SecretHub hub() {
        return hub;
    }

    /** What the initialization handed out: the shares and the root token. */
    public InitResult init() {
        return init;
    }

    /** The root token of the initialization. */
    public String rootToken() {
        return init.rootToken();
    }

    /** The unseal shares (3, threshold 2). */
    public List<String> shares() {
        return init.shares();
    }

    /**
     * The class's database (perf-junit's pool on it), for looking behind the hub's back. Close what you borrow.
     * The hub works on this pool unless the extension was given a pool size of its own.
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * The database's JDBC URL without credentials, e.g. for a database secrets engine config; with
     * {@code sslmode=disable}, since the test server speaks no TLS and configs default to {@code verify-full}.
     */
    public String jdbcUrl() throws SQLException {
        String url = Pools.jdbcUrl(dataSource);
        return url + (url.contains("?") ? "&" : "?") + "sslmode=disable";
    }

    /** Another (sealed) instance on the hub's pool, as a restart would make; closed with this fixture at the latest. */
    public SecretHub newInstance(HubSettings settings) {
        return newInstance(hubPool, settings);
    }

    /**
     * Another (sealed) instance with a pool of its own, as a second process would have; both are closed with this
     * fixture at the latest.
     */
    public SecretHub newInstance(int poolSize, HubSettings settings) {
        return newInstance(remember(Pools.another(dataSource, poolSize)), settings);
    }

    /** {@link #newInstance(HubSettings)}, unsealed with this fixture's shares. */
    public SecretHub newUnsealedInstance(HubSettings settings) {
        return unseal(newInstance(settings));
    }

    /** {@link #newInstance(int, HubSettings)}, unsealed with this fixture's shares. */
    public SecretHub newUnsealedInstance(int poolSize, HubSettings settings) {
        return unseal(newInstance(poolSize, settings));
    }

    /** Unseals {@code instance} (this hub after a seal, or another on the same database); returns it. */
    public SecretHub unseal(SecretHub instance) {
        return Unsealing.unseal(instance, init.shares());
    }

    /** Logs in through a new AppRole role with these token TTLs (a fresh role per call). */
    public LoginResult login(Duration ttl, Duration maxTtl) {
        String role = "fixture-" + ROLES.incrementAndGet();
        String root = rootToken();
        hub.auth().appRole().writeRole(root, role, AppRoleSettings.builder().tokenTtl(ttl).tokenMaxTtl(maxTtl).build());
        return hub.auth().appRole().login(hub.auth().appRole().roleId(root, role),
                hub.auth().appRole().generateSecretId(root, role).secretId(), null);
    }

    /** Closes every instance and pool opened here, newest first, the hub last. Closing twice is harmless. */
    @Override
    public void close() {
        closeAll(opened, null);
    }

    private SecretHub newInstance(DataSource pool, HubSettings settings) {
        return remember(build(pool, settings));
    }

    private <T extends AutoCloseable> T remember(T resource) {
        return remember(opened, resource);
    }

    private static SecretHub build(DataSource pool, HubSettings settings) {
        return settings.apply(SecretHub.builder().dataSource(pool)).build();
    }

    private static <T extends AutoCloseable> T remember(Deque<AutoCloseable> opened, T resource) {
        synchronized (opened) {
            opened.push(resource);
        }
        return resource;
    }

    private static void closeAll(Deque<AutoCloseable> opened, RuntimeException pending) {
        RuntimeException failure = pending;
        while (true) {
            AutoCloseable next;
            synchronized (opened) {
                next = opened.poll();
            }
            if (next == null) {
                break;
            }
            try {
                next.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("could not close the hub fixture", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null && failure != pending) {
            throw failure;
        }
    }
}
