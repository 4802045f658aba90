package io.secrethub.core;

import java.time.Instant;
import java.util.Optional;

/**
 * What is known about one version of a secret without decrypting it.
 *
 * @param version the version number, from 1
 * @param createdTime when the version was written
 * @param deletionTime when it was soft-deleted, or {@code null} if it is not deleted
 * @param destroyed whether its data was destroyed for good
 */
public record VersionMetadata(int version, Instant createdTime, Instant deletionTime, boolean destroyed) {

    /** Whether the version is soft-deleted (it can be undeleted unless it is also destroyed). */
    public boolean deleted() {
        return deletionTime != null;
    }

    /** The deletion time, if the version is soft-deleted. */
    public Optional<Instant> deletion() {
        return Optional.ofNullable(deletionTime);
    }
}
