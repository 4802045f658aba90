package io.secrethub.core;

/**
 * A write's check-and-set condition did not hold: the path's current version was not the expected
 * one (another writer got there first), or the path requires check-and-set and none was given.
 */
public class CheckAndSetException extends SecretHubException {

    private static final long serialVersionUID = 1L;

    private final int expectedVersion;
    private final int currentVersion;

    /**
     * @param expectedVersion the version the caller named, or -1 if it named none
     * @param currentVersion the path's current version when the write was attempted (0 = none)
     */
    public CheckAndSetException(String message, int expectedVersion, int currentVersion) {
        super(message);
        this.expectedVersion = expectedVersion;
        this.currentVersion = currentVersion;
    }

    /** The version the caller expected, or -1 if the path requires check-and-set and none was given. */
    public int expectedVersion() {
        return expectedVersion;
    }

    /** The path's current version when the write was refused (0 when it had none). */
    public int currentVersion() {
        return currentVersion;
    }
}
