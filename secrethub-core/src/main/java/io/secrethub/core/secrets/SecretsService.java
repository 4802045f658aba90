package io.secrethub.core.secrets;

import io.secrethub.core.CheckAndSetException;
import io.secrethub.core.InvalidRequestException;
import io.secrethub.core.MetadataUpdate;
import io.secrethub.core.NotFoundException;
import io.secrethub.core.Secret;
import io.secrethub.core.SecretMetadata;
import io.secrethub.core.Secrets;
import io.secrethub.core.VersionMetadata;
import io.secrethub.core.WriteOptions;
import io.secrethub.core.access.Operation;
import io.secrethub.core.request.RequestContext;
import io.secrethub.core.request.RequestPipeline;
import io.secrethub.core.storage.Database;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * {@code hub.secrets()}. Reads of the latest version come from the {@link SecretCache} when it has the path,
 * otherwise take one database round trip; either way they decrypt, audit, and only then return.
 * Writes lock the path's metadata row, encrypt under the next version number, insert (pruning old
 * versions in the same statement), audit <em>inside</em> the transaction, and commit: a write whose
 * audit record cannot be made durable is rolled back, never acknowledged.
 */
public final class SecretsService implements Secrets {

    private final RequestPipeline pipeline;
    private final Database database;
    private final int defaultMaxVersions;
    private final SecretCache cache;
    private final SecretChangeFeed changes;

    public SecretsService(RequestPipeline pipeline, Database database, int defaultMaxVersions, SecretCache cache,
            SecretChangeFeed changes) {
        this.pipeline = pipeline;
        this.database = database;
        this.defaultMaxVersions = defaultMaxVersions;
        this.cache = cache;
        this.changes = changes;
    }

    @Override
    public VersionMetadata write(String token, String path, Map<String, String> data, WriteOptions options) {
        Objects.requireNonNull(options, "options");
        return pipeline.execute(Operation.SECRET_WRITE, token, path, SecretPath::validate, null, ctx -> {
            byte[] plaintext = SecretData.encode(data);
            try {
                return change(ctx, "write a secret", c -> {
                    Instant now = now(ctx);
                    SecretStore.MetadataRow row = SecretStore.lockForWrite(c, ctx.path(), now);
                    checkAndSet(row, options.expectedVersion());
                    int version = row.currentVersion() + 1;
                    int oldestKept = Math.max(Math.max(row.oldestVersion(), 1),
                            version - effectiveMaxVersions(row.maxVersions()) + 1);
                    byte[] ciphertext = ctx.keys().barrier()
                            .encrypt(plaintext, associatedData(row.id(), ctx.path(), version));
                    SecretStore.appendVersion(c, row.id(), version, ciphertext, now, oldestKept);
                    ctx.auditSuccess("version=" + version); // durable before the commit, or the write rolls back
                    return new VersionMetadata(version, now, null, false);
                });
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
        });
    }

    @Override
    public Secret read(String token, String path) {
        return read(token, path, 0);
    }

    @Override
    public Secret read(String token, String path, int version) {
        return pipeline.execute(Operation.SECRET_READ, token, path, SecretPath::validate, null, ctx -> {
            if (version < 0) {
                throw new InvalidRequestException("version must be 0 (latest) or more, was " + version);
            }
            SecretStore.StoredVersion stored = version == 0
                    ? cache.latest(ctx.path(), () -> load(ctx.path(), 0))
                    : load(ctx.path(), version);
            if (stored == null) {
                throw notFound(ctx.path(), version);
            }
            if (stored.destroyed()) {
                throw new NotFoundException("version " + stored.version() + " of " + ctx.path() + " was destroyed");
            }
            if (stored.deletedAt() != null) {
                throw new NotFoundException("version " + stored.version() + " of " + ctx.path() + " is deleted");
            }
            byte[] plaintext = ctx.keys().barrier().decrypt(stored.ciphertext(),
                    associatedData(stored.secretId(), ctx.path(), stored.version()));
            Map<String, String> data;
            try {
                data = SecretData.decode(plaintext);
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
            ctx.auditSuccess("version=" + stored.version()); // no secret leaves before its record is durable
            return new Secret(ctx.path(), data,
                    new VersionMetadata(stored.version(), stored.createdAt(), null, false));
        });
    }

    @Override
    public void delete(String token, String path) {
        pipeline.execute(Operation.SECRET_DELETE, token, path, SecretPath::validate, null, ctx ->
                change(ctx, "delete a secret version", c -> {
                    SecretStore.MetadataRow row = existing(c, ctx.path());
                    if (row.currentVersion() == 0) {
                        throw new NotFoundException("no version of " + ctx.path() + " exists");
                    }
                    SecretStore.markDeleted(c, row.id(), new int[] {row.currentVersion()}, now(ctx));
                    ctx.auditSuccess("versions=[" + row.currentVersion() + "]");
                    return null;
                }));
    }

    @Override
    public void delete(String token, String path, int... versions) {
        changeVersions(Operation.SECRET_DELETE, token, path, versions,
                (c, id, v, ctx) -> SecretStore.markDeleted(c, id, v, now(ctx)));
    }

    @Override
    public void undelete(String token, String path, int... versions) {
        changeVersions(Operation.SECRET_UNDELETE, token, path, versions, (c, id, v, ctx)
                -> SecretStore.undelete(c, id, v));
    }

    @Override
    public void destroy(String token, String path, int... versions) {
        changeVersions(Operation.SECRET_DESTROY, token, path, versions, (c, id, v, ctx)
                -> SecretStore.destroy(c, id, v));
    }

    @Override
    public List<String> list(String token, String prefix) {
        return pipeline.execute(Operation.SECRET_LIST, token, prefix, SecretPath::validatePrefix, null,
                ctx -> database.autocommit("list secrets", c -> SecretStore.children(c, ctx.path())));
    }

    @Override
    public SecretMetadata metadata(String token, String path) {
        return pipeline.execute(Operation.SECRET_METADATA_READ, token, path, SecretPath::validate, null,
                ctx -> database.transaction("read secret metadata", c -> metadataOf(c, existing(c, ctx.path()))));
    }

    @Override
    public SecretMetadata updateMetadata(String token, String path, MetadataUpdate update) {
        Objects.requireNonNull(update, "update");
        return pipeline.execute(Operation.SECRET_METADATA_WRITE, token, path, SecretPath::validate, null, ctx ->
                change(ctx, "update secret metadata", c -> {
                    Instant now = now(ctx);
                    SecretStore.MetadataRow row = SecretStore.lockForWrite(c, ctx.path(), now);
                    int maxVersions = update.maxVersions().orElse(row.maxVersions());
                    boolean casRequired = update.casRequired().orElse(row.casRequired());
                    int oldestKept = row.currentVersion() == 0 ? 0 : Math.max(Math.max(row.oldestVersion(), 1),
                            row.currentVersion() - effectiveMaxVersions(maxVersions) + 1);
                    SecretStore.updateSettings(c, row.id(), maxVersions, casRequired, oldestKept, now);
                    SecretMetadata result = metadataOf(c, SecretStore.findMetadata(c, ctx.path()).orElseThrow());
                    ctx.auditSuccess("max_versions=" + maxVersions + " cas_required=" + casRequired);
                    return result;
                }));
    }

    @Override
    public void deleteMetadata(String token, String path) {
        pipeline.execute(Operation.SECRET_METADATA_DELETE, token, path, SecretPath::validate, null, ctx ->
                change(ctx, "delete a secret", c -> {
                    if (!SecretStore.deleteAll(c, ctx.path())) {
                        throw new NotFoundException("no secret at " + ctx.path());
                    }
                    ctx.auditSuccess(null);
                    return null;
                }));
    }

    /**
     * The associated data that binds a ciphertext to its row: the metadata row id (so a path deleted
     * and re-created does not accept its old ciphertexts), the path and the version. ':' cannot occur
     * in paths, so the encoding is unambiguous.
     */
    static byte[] associatedData(long secretId, String path, int version) {
        return ("secrethub:secret:" + secretId + ":" + path + ":" + version).getBytes(StandardCharsets.UTF_8);
    }

    /** The stored version ({@code 0}: the current one) of {@code path}, or null if there is none. */
    private SecretStore.StoredVersion load(String path, int version) {
        return database.autocommit("read a secret", c -> SecretStore.readVersion(c, path, version)).orElse(null);
    }

    /**
     * Runs a change of {@code ctx.path()} in one transaction; then drops the path from this instance's cache
     * before returning, so the caller reads its own write, and announces it to the other instances.
     */
    private <T> T change(RequestContext ctx, String what, Database.Work<T> work) {
        try {
            return database.transaction(what, work);
        } finally {
            cache.invalidate(ctx.path());
            changes.announce(ctx.path()); // also after a failure: whether the commit happened may be unknown
        }
    }

    @FunctionalInterface
    private interface VersionChange {
        int apply(Connection c, long secretId, int[] versions, RequestContext ctx) throws SQLException;
    }

    private void changeVersions(Operation operation, String token, String path, int[] versions, VersionChange change) {
        pipeline.execute(operation, token, path, SecretPath::validate, null, ctx -> {
            int[] wanted = checkVersions(versions);
            return change(ctx, operation.auditName(), c -> {
                SecretStore.MetadataRow row = existing(c, ctx.path());
                int changed = change.apply(c, row.id(), wanted, ctx);
                ctx.auditSuccess("versions=" + Arrays.toString(wanted) + " changed=" + changed);
                return null;
            });
        });
    }

    private void checkAndSet(SecretStore.MetadataRow row, OptionalInt expected) {
        if (expected.isPresent()) {
            if (row.currentVersion() != expected.getAsInt()) {
                throw new CheckAndSetException("check-and-set failed for " + row.path() + ": expected version "
                        + expected.getAsInt() + ", current version is " + row.currentVersion(),
                        expected.getAsInt(), row.currentVersion());
            }
        } else if (row.casRequired()) {
            throw new CheckAndSetException("check-and-set is required for " + row.path()
                    + " (write with WriteOptions.cas(version))", -1, row.currentVersion());
        }
    }

    private int effectiveMaxVersions(int configured) {
        return configured > 0 ? configured : defaultMaxVersions;
    }

    private SecretMetadata metadataOf(Connection c, SecretStore.MetadataRow row) throws SQLException {
        List<VersionMetadata> versions = SecretStore.versions(c, row.id()).stream()
                .map(v -> new VersionMetadata(v.version(), v.createdAt(), v.deletedAt(), v.destroyed()))
                .toList();
        return new SecretMetadata(row.path(), row.currentVersion(), row.oldestVersion(), row.maxVersions(),
                row.casRequired(), row.createdAt(), row.updatedAt(), versions);
    }

    private static SecretStore.MetadataRow existing(Connection c, String path) throws SQLException {
        return SecretStore.findMetadata(c, path).orElseThrow(() -> new NotFoundException("no secret at " + path));
    }

    private NotFoundException notFound(String path, int version) {
        return new NotFoundException(version == 0 ? "no secret at " + path
                : "version " + version + " of " + path + " does not exist (never written, or pruned)");
    }

    private static int[] checkVersions(int[] versions) {
        if (versions == null || versions.length == 0) {
            throw new InvalidRequestException("at least one version is required");
        }
        if (versions.length > 1000) {
            throw new InvalidRequestException("at most 1000 versions at once, got " + versions.length);
        }
        for (int v : versions) {
            if (v < 1) {
                throw new InvalidRequestException("versions start at 1, got " + v);
            }
        }
        return versions.clone();
    }

    private static Instant now(RequestContext ctx) {
        return ctx.time().truncatedTo(ChronoUnit.MICROS);
    }
}
