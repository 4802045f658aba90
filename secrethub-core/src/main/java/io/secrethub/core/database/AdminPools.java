package io.secrethub.core.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.secrethub.core.BackendException;
import io.secrethub.core.keyring.Barrier;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One small HikariCP pool per connection config, opened on first use with the decrypted admin
 * password and reopened when the config changes (its generation, on any instance). All are closed on
 * seal: a sealed instance keeps no usable admin credential in memory.
 */
public final class AdminPools implements AutoCloseable {

    /** Bounds every admin statement, so a hung server cannot hold a revocation (and its claim) forever. */
    static final String STATEMENT_TIMEOUT = "30s";
    private static final long CONNECTION_TIMEOUT_MS = 10_000;

    /**
     * A pool and the fair semaphore in front of it. HikariCP hands a returned connection back to the thread that
     * just returned it when that thread asks again, which under a closed loop of callers starves the others for
     * seconds; the semaphore makes them take turns, first come first served.
     */
    private record Entry(UUID generation, HikariDataSource pool, Semaphore turns) {
    }

    private final Map<String, Entry> pools = new ConcurrentHashMap<>();
    private final String node;

    public AdminPools(String node) {
        this.node = node;
    }

    /**
     * A connection to {@code config}'s server as its admin user.
     *
     * @throws BackendException if none can be had (the cause keeps the driver's message; ours names the config)
     */
    Connection connection(DatabaseStore.StoredConfig config, Barrier barrier) {
        Entry entry = pools.get(config.name());
        if (entry == null || !entry.generation().equals(config.generation())) {
            entry = open(config, barrier);
        }
        Semaphore turns = entry.turns();
        try {
            if (!turns.tryAcquire(CONNECTION_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new BackendException("no connection to database config " + config.name() + " within "
                        + CONNECTION_TIMEOUT_MS + " ms: all " + config.maxConnections() + " are busy");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted waiting for a connection to database config " + config.name(), e);
        }
        try {
            return releasingOnClose(entry.pool().getConnection(), turns);
        } catch (SQLException e) {
            turns.release();
            throw new BackendException("could not connect to database config " + config.name() + " (SQLSTATE "
                    + e.getSQLState() + ")", e);
        } catch (RuntimeException e) {
            turns.release();
            throw e;
        }
    }

    /** {@code connection}, which gives its turn back (once) when it is closed. */
    private static Connection releasingOnClose(Connection connection, Semaphore turns) {
        AtomicBoolean released = new AtomicBoolean();
        InvocationHandler handler = (proxy, method, args) -> {
            try {
                return method.invoke(connection, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                if (method.getName().equals("close") && released.compareAndSet(false, true)) {
                    turns.release();
                }
            }
        };
        return (Connection) Proxy.newProxyInstance(AdminPools.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
    }

    private synchronized Entry open(DatabaseStore.StoredConfig config, Barrier barrier) {
        Entry current = pools.get(config.name());
        if (current != null && current.generation().equals(config.generation())) {
            return current; // another thread opened it while we waited
        }
        byte[] password = barrier.decrypt(config.encryptedPassword(), DatabaseStore.passwordAad(config.name()));
        ConnectionUrls.checkParameters(config.connectionUrl()); // a config stored before the allowlist existed
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(config.connectionUrl());
        hc.setDataSourceProperties(ConnectionUrls.defaults(config.connectionUrl()));
        hc.setUsername(config.username());
        try {
            // HikariCP keeps it as a String until the pool is closed (on seal or config change).
            hc.setPassword(new String(password, StandardCharsets.UTF_8));
        } finally {
            Arrays.fill(password, (byte) 0);
        }
        hc.setMaximumPoolSize(config.maxConnections());
        hc.setMinimumIdle(0);
        hc.setIdleTimeout(60_000);
        hc.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        hc.setInitializationFailTimeout(-1); // a server that is down fails the call that needs it, not this
        hc.setConnectionInitSql("SET statement_timeout = '" + STATEMENT_TIMEOUT + "'");
        hc.setPoolName("secrethub-db-" + config.name() + "-" + node);
        hc.addDataSourceProperty("ApplicationName", "secrethub");
        Entry opened = new Entry(config.generation(), new HikariDataSource(hc),
                new Semaphore(config.maxConnections(), true));
        Entry replaced = pools.put(config.name(), opened);
        if (replaced != null) {
            replaced.pool().close();
        }
        return opened;
    }

    /** Closes every pool (on seal and close). */
    public synchronized void closeAll() {
        pools.values().forEach(e -> e.pool().close());
        pools.clear();
    }

    @Override
    public void close() {
        closeAll();
    }
}
