package io.secrethub.core;

import java.util.Optional;

/**
 * Settings of a secret's path that {@code secrets().updateMetadata(…)} changes; settings left unset
 * keep their value. Immutable; each {@code with…} returns a new instance.
 */
public final class MetadataUpdate {

    private static final MetadataUpdate NONE = new MetadataUpdate(null, null);

    private final Integer maxVersions;
    private final Boolean casRequired;

    private MetadataUpdate(Integer maxVersions, Boolean casRequired) {
        this.maxVersions = maxVersions;
        this.casRequired = casRequired;
    }

    /** An update that changes nothing yet. */
    public static MetadataUpdate none() {
        return NONE;
    }

    /**
     * How many versions the path keeps; older ones are pruned (their ciphertext deleted) on the next
     * write and immediately when the limit is lowered. 0 means "the instance default".
     */
    public MetadataUpdate withMaxVersions(int maxVersions) {
        if (maxVersions < 0) {
            throw new InvalidRequestException("max_versions must be 0 (the default) or more, was " + maxVersions);
        }
        return new MetadataUpdate(maxVersions, casRequired);
    }

    /** Whether every write to the path must carry a check-and-set version. */
    public MetadataUpdate withCasRequired(boolean required) {
        return new MetadataUpdate(maxVersions, required);
    }

    public Optional<Integer> maxVersions() {
        return Optional.ofNullable(maxVersions);
    }

    public Optional<Boolean> casRequired() {
        return Optional.ofNullable(casRequired);
    }

    @Override
    public String toString() {
        return "MetadataUpdate[maxVersions=" + maxVersions + ", casRequired=" + casRequired + "]";
    }
}
