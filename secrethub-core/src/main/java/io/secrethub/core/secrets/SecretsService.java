package io.secrethub.core.secrets;

import io.secrethub.core.CheckAndSetException;
import io.secrethub.core.InvalidRequestException;
import io.secrethub.core.MetadataUpdate;
import io.secrethub.core.NotFoundException;
import io.secrethub.core.Secret;
import io.secrethub.core.SecretMetadata;
import io.secrethub.core.SecretSubscriber;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
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

    /** Paths per query of {@link #latestVersions}. */
    private static final int LATEST_VERSIONS_BATCH = 5_000;

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
    public List<VersionMetadata> changeNotices(String path, List<SecretSubscriber> subscribers) {
        Objects.requireNonNull(subscribers, "subscribers");
        List<String> tokens = new ArrayList<>(subscribers.size());
        List<String> addresses = new ArrayList<>(subscribers.size());
        for (SecretSubscriber s : subscribers) {
            tokens.add(s.token());
            addresses.add(s.clientAddress());
        }
        VersionMetadata[] shared = new VersionMetadata[1]; // loaded by the first subscriber allowed to see it
        return pipeline.executeEach(Operation.SECRET_CHANGE_NOTICE, tokens, addresses, path, SecretPath::validate,
                ctx -> {
                    if (shared[0] == null) {
                        shared[0] = latestState(ctx);
                    }
                    return shared[0];
                }, state -> "version=" + state.version());
    }

    @Override
    public Map<String, VersionMetadata> latestVersions(Collection<String> paths) {
        Objects.requireNonNull(paths, "paths");
        pipeline.requireUnsealed();
        Map<String, String> byCanonical = new HashMap<>();
        for (String path : paths) {
            byCanonical.put(SecretPath.validate(path), path);
        }
        List<String> canonical = new ArrayList<>(byCanonical.keySet());
        Map<String, VersionMetadata> latest = new HashMap<>();
        for (int from = 0; from < canonical.size(); from += LATEST_VERSIONS_BATCH) {
            List<String> batch = canonical.subList(from, Math.min(canonical.size(), from + LATEST_VERSIONS_BATCH));
            Map<String, SecretStore.StoredVersion> stored = database.autocommit("read the latest versions",
                    c -> SecretStore.latestVersions(c, batch));
            for (String path : batch) {
                SecretStore.StoredVersion v = stored.get(path);
                // an entry that differs missed its change's notification: the read that follows must not serve it
                cache.dropIfStale(path, v);
                if (v != null) {
                    latest.put(byCanonical.get(path), new VersionMetadata(v.version(), v.createdAt(), v.deletedAt(),
                            v.destroyed()));
                }
            }
        }
        return latest;
    }

    /**
     * The latest version's metadata, from the cache or one database read; a live version's ciphertext is
     * decrypted (and the plaintext wiped) so a row changed behind SecretHub's back is refused, not announced.
     */
    private VersionMetadata latestState(RequestContext ctx) {
        SecretStore.StoredVersion stored = cache.latest(ctx.path(), () -> load(ctx.path(), 0));
        if (stored == null) {
            return new VersionMetadata(0, null, null, false);
        }
        if (!stored.destroyed() && stored.deletedAt() == null) {
            byte[] plaintext = ctx.keys().barrier().decrypt(stored.ciphertext(),
                    associatedData(stored.secretId(), ctx.path(), stored.version()));
            Arrays.fill(plaintext, (byte) 0);
        }
        return new VersionMetadata(stored.version(), stored.createdAt(), stored.deletedAt(), stored.destroyed());
    }

    @Override
    public void delete(String token, String path) {
        pipeline.execute(Operation.SECRET_DELETE, token, path, SecretPath::validate, null, ctx ->
                destructiveChange(ctx, "delete a secret version", c -> {
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
        changeVersions(Operation.SECRET_DELETE, token, path, versions, true,
                (c, id, v, ctx) -> SecretStore.markDeleted(c, id, v, now(ctx)));
    }

    @Override
    public void undelete(String token, String path, int... versions) {
        changeVersions(Operation.SECRET_UNDELETE, token, path, versions, false, (c, id, v, ctx)
                -> SecretStore.undelete(c, id, v));
    }

    @Override
    public void destroy(String token, String path, int... versions) {
        changeVersions(Operation.SECRET_DESTROY, token, path, versions, true, (c, id, v, ctx)
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
                destructiveChange(ctx, "delete a secret", c -> {
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

    /**
     * A change no instance may miss (a deletion or destruction): announced to the other instances inside its own
     * transaction ({@link ChangeNotices}), so it reaches them if and only if it commits, even if this instance dies
     * right after the commit. This instance drops its entry before returning, as for {@link #change}; its
     * listeners hear the notice with everyone else's (telling them here too would make each push twice).
     */
    private <T> T destructiveChange(RequestContext ctx, String what, Database.Work<T> work) {
        try {
            return database.transaction(what, c -> {
                T result = work.run(c);
                ChangeNotices.send(c, ChangeNotices.Kind.SECRET, List.of(ctx.path()));
                return result;
            });
        } finally {
            cache.invalidate(ctx.path());
        }
    }

    @FunctionalInterface
    private interface VersionChange {
        int apply(Connection c, long secretId, int[] versions, RequestContext ctx) throws SQLException;
    }

    private void changeVersions(Operation operation, String token, String path, int[] versions, boolean destructive,
            VersionChange change) {
        pipeline.execute(operation, token, path, SecretPath::validate, null, ctx -> {
            int[] wanted = checkVersions(versions);
            Database.Work<Void> work = c -> {
                SecretStore.MetadataRow row = existing(c, ctx.path());
                int changed = change.apply(c, row.id(), wanted, ctx);
                ctx.auditSuccess("versions=" + Arrays.toString(wanted) + " changed=" + changed);
                return null;
            };
            return destructive ? destructiveChange(ctx, operation.auditName(), work)
                    : change(ctx, operation.auditName(), work);
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
