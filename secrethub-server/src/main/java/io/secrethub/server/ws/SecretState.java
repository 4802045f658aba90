package io.secrethub.server.ws;

import io.secrethub.core.NotFoundException;
import io.secrethub.core.PermissionDeniedException;
import io.secrethub.core.SecretHub;
import io.secrethub.core.SecretMetadata;
import io.secrethub.core.VersionMetadata;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an agent knows of a path: its latest version, and whether that version is deleted or destroyed (version 0
 * and deleted: the path is gone). Learned through the token's own read, so only a path the token may read is ever
 * told, and the lookup is audited like any read.
 */
record SecretState(int version, boolean deleted, boolean destroyed) {

    static final SecretState GONE = new SecretState(0, true, false);
    /** What an agent was told when a push to it failed: unknown, so it differs from every real state. */
    static final SecretState UNKNOWN = new SecretState(-1, false, false);

    /** The state a change notice tells (version 0: the path holds no secret any more). */
    static SecretState of(VersionMetadata latest) {
        if (latest.version() == 0) {
            return GONE;
        }
        return new SecretState(latest.version(), latest.deleted() || latest.destroyed(), latest.destroyed());
    }

    /** The state of {@code path} as {@code token} sees it; {@code null} if the token may not read it. */
    static SecretState of(SecretHub hub, String token, String path) {
        try {
            return new SecretState(hub.secrets().read(token, path).version(), false, false);
        } catch (PermissionDeniedException e) {
            return null;
        } catch (NotFoundException e) {
            return afterNotFound(hub, token, path);
        }
    }

    /** A latest version that cannot be read: deleted, destroyed or gone, as far as the metadata tells. */
    private static SecretState afterNotFound(SecretHub hub, String token, String path) {
        try {
            SecretMetadata metadata = hub.secrets().metadata(token, path);
            for (VersionMetadata v : metadata.versions()) {
                if (v.version() == metadata.currentVersion()) {
                    return new SecretState(v.version(), v.deleted() || v.destroyed(), v.destroyed());
                }
            }
            return GONE;
        } catch (NotFoundException e) {
            return GONE;
        } catch (PermissionDeniedException e) {
            return GONE; // readable but not its metadata: all the agent may learn is that it cannot read it now
        }
    }

    /** The fields of a {@code secret-changed} push or a sync answer. */
    Map<String, Object> fields(String path) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path);
        m.put("version", version);
        m.put("deleted", deleted);
        m.put("destroyed", destroyed);
        return m;
    }
}
