package io.secrethub.core;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One decrypted version of a secret.
 *
 * <p>{@link #toString()} names the keys but not the values.
 *
 * @param path the secret's path
 * @param data the key/value pairs of this version (unmodifiable, in the order they were written)
 * @param metadata the version's metadata
 */
public record Secret(String path, Map<String, String> data, VersionMetadata metadata) {

    public Secret {
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** The version number of this data. */
    public int version() {
        return metadata.version();
    }

    /** When this version was written. */
    public Instant createdTime() {
        return metadata.createdTime();
    }

    @Override
    public String toString() {
        return "Secret[path=" + path + ", version=" + metadata.version() + ", keys=" + data.keySet() + "]";
    }
}
