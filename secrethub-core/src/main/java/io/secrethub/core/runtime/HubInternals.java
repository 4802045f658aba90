package io.secrethub.core.runtime;

import io.secrethub.core.SecretHub;
import io.secrethub.core.access.AccessControl;
import io.secrethub.core.keyring.KeySource;
import io.secrethub.core.keyring.RowMacs;
import io.secrethub.core.lease.LeaseStore;
import io.secrethub.core.secrets.SecretCache;
import io.secrethub.core.token.TokenStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The components behind a {@link SecretHub}, for the core's own tests (issue a token with chosen policies,
 * swap the authorizer, look into the read cache) without a method on the public facade.
 *
 * <p>This package is not exported, so on the module path only the core itself can reach it. The hub hands
 * over its components once, when its class initializes (the JDK's "shared secrets" idiom): the facade gains
 * no member for it.
 */
public final class HubInternals {

    private static volatile Function<SecretHub, HubComponents> access;

    private HubInternals() {
    }

    /** Called once, by {@link SecretHub}'s class initializer. */
    public static void install(Function<SecretHub, HubComponents> hubAccess) {
        Objects.requireNonNull(hubAccess, "hubAccess");
        synchronized (HubInternals.class) {
            if (access != null) {
                throw new IllegalStateException("hub access is already installed");
            }
            access = hubAccess;
        }
    }

    /** The components of {@code hub}. */
    public static HubComponents of(SecretHub hub) {
        // A SecretHub instance exists, so its class, whose initializer installs the access, has run.
        return access.apply(Objects.requireNonNull(hub, "hub"));
    }

    /** Token issuing and lookup, below the facade's policy checks and audit. */
    public static TokenStore tokens(SecretHub hub) {
        return of(hub).tokens();
    }

    /** Authentication and the authorizer seam. */
    public static AccessControl accessControl(SecretHub hub) {
        return of(hub).accessControl();
    }

    /** The keys while unsealed. */
    public static KeySource keys(SecretHub hub) {
        return of(hub).keys();
    }

    /** The read cache of secrets. */
    public static SecretCache secretCache(SecretHub hub) {
        return of(hub).secretCache();
    }

    /**
     * Test set-up only (perf-tests' bulk leases): authenticates the token and lease rows whose {@code lease_id}
     * starts with {@code leaseIdPrefix} and that were written straight into the tables with SQL, trusting them as
     * they stand, the way the first unseal after the upgrade authenticates rows written before row MACs. Never for
     * real data: it vouches for whatever those rows hold. Returns how many rows it authenticated.
     */
    public static int authenticateBulkRows(SecretHub hub, DataSource dataSource, String leaseIdPrefix)
            throws SQLException {
        RowMacs macs = keys(hub).current().system().rows();
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                int done = LeaseStore.BACKFILL.backfill(c, macs, "lease_id", leaseIdPrefix)
                        + TokenStore.BACKFILL.backfill(c, macs, "lease_id", leaseIdPrefix);
                c.commit();
                return done;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }
}
