package io.secrethub.core;

import java.util.OptionalInt;

/**
 * Options of a secret write. Immutable.
 *
 * <p>{@link #cas(int)} makes the write conditional (KV v2 check-and-set): it only happens if the
 * path's current version is the given one, and {@code cas(0)} only if the path has no version yet.
 * Of several writers racing with the same expected version, exactly one wins; the others get a
 * {@link CheckAndSetException}.
 */
public final class WriteOptions {

    private static final WriteOptions NONE = new WriteOptions(-1);

    private final int cas;

    private WriteOptions(int cas) {
        this.cas = cas;
    }

    /** An unconditional write: it always creates the next version. */
    public static WriteOptions none() {
        return NONE;
    }

    /**
     * A write that only succeeds if the path's current version is {@code expectedVersion}.
     *
     * @param expectedVersion the current version the caller saw; 0 means "only if absent"
     */
    public static WriteOptions cas(int expectedVersion) {
        if (expectedVersion < 0) {
            throw new InvalidRequestException("check-and-set version must be 0 or more, was " + expectedVersion);
        }
        return new WriteOptions(expectedVersion);
    }

    /** The expected current version, if this write is conditional. */
    public OptionalInt expectedVersion() {
        return cas < 0 ? OptionalInt.empty() : OptionalInt.of(cas);
    }

    @Override
    public String toString() {
        return cas < 0 ? "WriteOptions[unconditional]" : "WriteOptions[cas=" + cas + "]";
    }
}
