package io.secrethub.core.database;

import io.secrethub.core.BackendException;
import io.secrethub.core.DatabaseRole;
import io.secrethub.core.keyring.CoreKeys;
import io.secrethub.core.lease.ClaimedLease;
import io.secrethub.core.lease.LeaseHandler;
import io.secrethub.core.storage.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Database leases: revoking one runs its role's revocation statements (by default: no more logins,
 * end its sessions, revoke its grants, drop it) over the config's admin pool; renewing one runs the
 * renew statements (by default: move {@code VALID UNTIL}). One lease per task: each costs round trips
 * to another server.
 */
public final class DatabaseLeaseHandler implements LeaseHandler {

    public static final String KIND = "database";

    private final Database database;
    private final AdminPools pools;

    public DatabaseLeaseHandler(Database database, AdminPools pools) {
        this.database = database;
        this.pools = pools;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int chunkSize() {
        return 1;
    }

    @Override
    public void revoke(List<ClaimedLease> chunk, CoreKeys keys) {
        for (ClaimedLease lease : chunk) {
            LeasePayload payload = LeasePayload.decrypt(keys.barrier(), lease.leaseId(), lease.payload());
            DatabaseStore.StoredConfig config = database.autocommit("load a database config",
                    c -> DatabaseStore.config(c, payload.config(), keys.system().rows()))
                    .orElseThrow(() -> new BackendException(
                            "database config " + payload.config() + " no longer exists"));
            // The role's statements as they are now; a deleted role falls back to the defaults, as in Vault.
            List<String> statements = database.autocommit("load a database role",
                    c -> DatabaseStore.role(c, payload.role(), keys.system().rows()))
                    .map(DatabaseRole::revocationStatements).orElse(DatabaseRole.DEFAULT_REVOCATION_STATEMENTS);
            try (Connection admin = pools.connection(config, keys.barrier())) {
                // Under the user's lock: a creation still under way either finished (the user exists and is
                // dropped here) or will see the lease is no longer active and create nothing.
                AdminStatements.lockUser(admin, payload.username());
                try {
                    if (!AdminStatements.roleExists(admin, payload.username())) {
                        continue; // gone already, or never created (an earlier attempt, an operator, a refusal)
                    }
                    AdminStatements.oneByOne(admin, "revocation", statements,
                            Map.of(SqlTemplates.NAME, payload.username()));
                } finally {
                    AdminStatements.unlockUser(admin, payload.username());
                }
            } catch (SQLException e) {
                throw new BackendException("revocation: the admin connection failed (SQLSTATE " + e.getSQLState()
                        + ")", e);
            }
        }
    }

    @Override
    public Runnable renew(Connection c, String leaseId, byte[] payloadBytes, Instant newExpiry, CoreKeys keys)
            throws SQLException {
        LeasePayload payload = LeasePayload.decrypt(keys.barrier(), leaseId, payloadBytes);
        DatabaseStore.StoredConfig config = DatabaseStore.config(c, payload.config(), keys.system().rows())
                .orElseThrow(() -> new BackendException("database config " + payload.config() + " no longer exists"));
        List<String> statements = DatabaseStore.role(c, payload.role(), keys.system().rows())
                .map(DatabaseRole::renewStatements)
                .orElse(DatabaseRole.DEFAULT_RENEW_STATEMENTS);
        if (!statements.isEmpty()) {
            try (Connection admin = pools.connection(config, keys.barrier())) {
                AdminStatements.inTransaction(admin, "renewal", statements,
                        Map.of(SqlTemplates.NAME, payload.username(),
                        SqlTemplates.EXPIRATION, Credentials.expiration(newExpiry)));
            }
        }
        return () -> { };
    }
}
