package io.secrethub.core;

import java.time.Instant;
import java.util.List;

/**
 * Everything known about a secret's path without decrypting anything (KV v2 "metadata").
 *
 * @param path the secret's path
 * @param currentVersion the newest version written (0 if none was written yet)
 * @param oldestVersion the oldest version still stored (older ones were pruned)
 * @param maxVersions the versions kept for this path; 0 means the instance default applies
 * @param casRequired whether every write to this path must carry a check-and-set version
 * @param createdTime when the path was first written or configured
 * @param updatedTime when the path last changed
 * @param versions the stored versions, oldest first
 */
public record SecretMetadata(String path, int currentVersion, int oldestVersion, int maxVersions,
        boolean casRequired, Instant createdTime, Instant updatedTime, List<VersionMetadata> versions) {

    public SecretMetadata {
        versions = List.copyOf(versions);
    }
}
