package io.secrethub.server.api;

import io.secrethub.core.MetadataUpdate;
import io.secrethub.core.NotFoundException;
import io.secrethub.core.Secret;
import io.secrethub.core.SecretHub;
import io.secrethub.core.SecretMetadata;
import io.secrethub.core.VersionMetadata;
import io.secrethub.core.WriteOptions;
import io.secrethub.server.http.ApiException;
import io.secrethub.server.http.ApiRequest;
import io.secrethub.server.http.Envelope;
import io.secrethub.server.http.Operation;
import io.secrethub.server.http.Reply;
import io.secrethub.server.http.Router;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * KV version 2 mounted at {@code secret/}, with the bodies and status codes of Vault's kv plugin:
 * {@code data/}, {@code delete/}, {@code undelete/}, {@code destroy/}, {@code metadata/} and {@code config}.
 * SecretHub stores string values; other JSON values are refused rather than silently turned into text.
 */
final class KvApi {

    static final String MOUNT_TYPE = "kv";

    private final SecretHub hub;

    KvApi(SecretHub hub) {
        this.hub = hub;
    }

    void register(Router router) {
        router.prefix("secret/data/", Methods.on(Operation.READ, this::read).and(Operation.UPDATE, this::write)
                .and(Operation.DELETE, this::deleteLatest));
        router.prefix("secret/delete/", Methods.on(Operation.UPDATE, (r, path) -> versions(r, path, Change.DELETE)));
        router.prefix("secret/undelete/",
                Methods.on(Operation.UPDATE, (r, path) -> versions(r, path, Change.UNDELETE)));
        router.prefix("secret/destroy/", Methods.on(Operation.UPDATE, (r, path) -> versions(r, path, Change.DESTROY)));
        router.prefix("secret/metadata/", Methods.on(Operation.READ, this::metadata).and(Operation.LIST, this::list)
                .and(Operation.UPDATE, this::writeMetadata).and(Operation.DELETE, this::deleteMetadata));
        router.exact("secret/metadata", Methods.on(Operation.LIST, (r, rest) -> list(r, "")));
        router.exact("secret/config", Methods.on(Operation.READ, (r, rest) -> config(r)));
    }

    private enum Change { DELETE, UNDELETE, DESTROY }

    private Reply read(ApiRequest request, String path) {
        int version = request.integer("version").orElse(0);
        if (version < 0) {
            throw ApiException.badRequest("version must be 0 or more");
        }
        try {
            Secret secret = hub.secrets().read(request.token(), path, version);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("data", new LinkedHashMap<String, Object>(secret.data()));
            data.put("metadata", versionMetadata(secret.metadata()));
            return Envelope.of(data).mountType(MOUNT_TYPE).reply();
        } catch (NotFoundException notFound) {
            return deletedVersion(request.token(), path, version).orElseThrow(() -> notFound);
        }
    }

    /**
     * Vault answers a read of a deleted or destroyed version with 404 and the version's metadata, so
     * clients can tell "deleted" from "never written".
     */
    private Optional<Reply> deletedVersion(String token, String path, int version) {
        SecretMetadata metadata;
        try {
            metadata = hub.secrets().metadata(token, path);
        } catch (NotFoundException e) {
            return Optional.empty();
        }
        int wanted = version == 0 ? metadata.currentVersion() : version;
        return metadata.versions().stream().filter(v -> v.version() == wanted && (v.deleted() || v.destroyed()))
                .findFirst().map(v -> {
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("data", null);
                    data.put("metadata", versionMetadata(v));
                    return Envelope.of(data).mountType(MOUNT_TYPE).reply(404);
                });
    }

    private Reply write(ApiRequest request, String path) {
        Object data = request.body().get("data");
        if (data == null) {
            throw ApiException.badRequest("no data provided");
        }
        if (!(data instanceof Map<?, ?> values)) {
            throw ApiException.badRequest("invalid type for field \"data\": expected a JSON object");
        }
        Map<String, String> strings = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : values.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw ApiException.badRequest("SecretHub stores string values only: data." + e.getKey()
                        + " is not a string");
            }
            strings.put((String) e.getKey(), s);
        }
        WriteOptions options = WriteOptions.none();
        Object rawOptions = request.body().get("options");
        if (rawOptions instanceof Map<?, ?> map && map.get("cas") != null) {
            Object cas = map.get("cas");
            if (!(cas instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                throw ApiException.badRequest("invalid type for field \"cas\": expected an integer");
            }
            options = WriteOptions.cas(n.intValue());
        } else if (rawOptions != null && !(rawOptions instanceof Map)) {
            throw ApiException.badRequest("invalid type for field \"options\": expected a JSON object");
        }
        VersionMetadata written = hub.secrets().write(request.token(), path, strings, options);
        return Envelope.of(versionMetadata(written)).mountType(MOUNT_TYPE).reply();
    }

    private Reply deleteLatest(ApiRequest request, String path) {
        hub.secrets().delete(request.token(), path);
        return Reply.noContent();
    }

    private Reply versions(ApiRequest request, String path, Change change) {
        int[] versions = request.ints("versions");
        if (versions.length == 0) {
            throw ApiException.badRequest("no version number provided");
        }
        switch (change) {
            case DELETE -> hub.secrets().delete(request.token(), path, versions);
            case UNDELETE -> hub.secrets().undelete(request.token(), path, versions);
            case DESTROY -> hub.secrets().destroy(request.token(), path, versions);
        }
        return Reply.noContent();
    }

    private Reply metadata(ApiRequest request, String path) {
        SecretMetadata m = hub.secrets().metadata(request.token(), path);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("cas_required", m.casRequired());
        data.put("created_time", time(m.createdTime()));
        data.put("current_version", m.currentVersion());
        data.put("custom_metadata", null);
        data.put("delete_version_after", "0s");
        data.put("max_versions", m.maxVersions());
        data.put("oldest_version", m.oldestVersion());
        data.put("updated_time", time(m.updatedTime()));
        Map<String, Object> versions = new LinkedHashMap<>();
        for (VersionMetadata v : m.versions()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("created_time", time(v.createdTime()));
            entry.put("deletion_time", v.deletionTime() == null ? "" : time(v.deletionTime()));
            entry.put("destroyed", v.destroyed());
            versions.put(Integer.toString(v.version()), entry);
        }
        data.put("versions", versions);
        return Envelope.of(data).mountType(MOUNT_TYPE).reply();
    }

    private Reply list(ApiRequest request, String prefix) {
        List<String> keys = hub.secrets().list(request.token(), prefix);
        if (keys.isEmpty()) {
            throw ApiException.notFound();
        }
        return Envelope.of(Map.of("keys", keys)).mountType(MOUNT_TYPE).reply();
    }

    private Reply writeMetadata(ApiRequest request, String path) {
        MetadataUpdate update = MetadataUpdate.none();
        Optional<Integer> maxVersions = request.integer("max_versions");
        if (maxVersions.isPresent()) {
            update = update.withMaxVersions(maxVersions.get());
        }
        Optional<Boolean> casRequired = request.bool("cas_required");
        if (casRequired.isPresent()) {
            update = update.withCasRequired(casRequired.get());
        }
        Object custom = request.body().get("custom_metadata");
        if (custom instanceof Map<?, ?> m && !m.isEmpty()) {
            throw ApiException.badRequest("custom_metadata is not supported by SecretHub");
        }
        request.duration("delete_version_after").filter(d -> !d.isZero()).ifPresent(d -> {
            throw ApiException.badRequest("delete_version_after is not supported by SecretHub");
        });
        hub.secrets().updateMetadata(request.token(), path, update);
        return Reply.noContent();
    }

    private Reply deleteMetadata(ApiRequest request, String path) {
        hub.secrets().deleteMetadata(request.token(), path);
        return Reply.noContent();
    }

    private Reply config(ApiRequest request) {
        Callers.authenticate(hub, request.token());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("cas_required", false);
        data.put("delete_version_after", "0s");
        data.put("max_versions", 0);
        return Envelope.of(data).mountType(MOUNT_TYPE).reply();
    }

    static Map<String, Object> versionMetadata(VersionMetadata v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("created_time", time(v.createdTime()));
        m.put("custom_metadata", null);
        m.put("deletion_time", v.deletionTime() == null ? "" : time(v.deletionTime()));
        m.put("destroyed", v.destroyed());
        m.put("version", v.version());
        return m;
    }

    /** RFC 3339 with nanoseconds, as Go prints times. */
    static String time(Instant instant) {
        return instant == null ? "" : instant.toString();
    }
}
