package io.secrethub.core;

import java.util.List;
import java.util.Map;

/**
 * Versioned key/value secrets with KV v2 semantics ({@code hub.secrets()}).
 *
 * <p>Paths are {@code /}-separated segments of letters, digits, {@code .}, {@code _} and {@code -},
 * without empty, {@code .} or {@code ..} segments and without leading or trailing {@code /}. Every call
 * checks the token, is audited (successes, denials and errors), and returns only after its audit
 * record is durable.
 */
public interface Secrets {

    /** Writes a new version unconditionally; see {@link #write(String, String, Map, WriteOptions)}. */
    default VersionMetadata write(String token, String path, Map<String, String> data) {
        return write(token, path, data, WriteOptions.none());
    }

    /**
     * Writes {@code data} as the path's next version. Concurrent writers never lose an update: each
     * unconditional write gets its own version number, and of writers racing with the same
     * check-and-set version exactly one wins. Versions beyond the path's max_versions are pruned.
     *
     * @return the metadata of the version written
     * @throws CheckAndSetException if the check-and-set condition does not hold
     */
    VersionMetadata write(String token, String path, Map<String, String> data, WriteOptions options);

    /** Reads the latest version. @throws NotFoundException if it does not exist or is deleted/destroyed */
    Secret read(String token, String path);

    /**
     * Reads one version ({@code 0} = latest). @throws NotFoundException if it does not exist, was pruned, deleted or
     * destroyed
     */
    Secret read(String token, String path, int version);

    /**
     * What a server pushes to the subscribers of {@code path} when it changed: the metadata of its latest version
     * (number, deleted, destroyed; never its data), for every subscriber at once. The version is loaded and its
     * ciphertext authenticated (decrypted, the plaintext wiped at once) one time for all; each subscriber is
     * authenticated and authorized as for {@link #read} (its token needs {@code read} on the path) and each delivery
     * audited as its own request ({@code secrets.change-notice}), the records submitted together and awaited once,
     * so they share audit batches.
     *
     * @return one entry per subscriber, in order: the latest version's metadata (version {@code 0}, not deleted,
     *     if the path holds no secret any more); {@code null} where the subscriber's token is invalid or may not
     *     read the path (that subscriber must not be told)
     * @throws AuditUnavailableException if a delivery could not be audited: nobody may be told now, so the caller
     *     tries again later (a refusal is never this, so "not allowed" and "not now" stay apart)
     */
    List<VersionMetadata> changeNotices(String path, List<SecretSubscriber> subscribers);

    /**
     * The latest version's metadata of each of {@code paths}, in one query straight from the database (no cache):
     * how a server that pushes changes notices one whose notification was lost (its writer died between commit
     * and announcement) and pushes it after all. It takes no token and is not audited: it tells version numbers
     * and deletion flags only, never data, to the process that holds this hub, and each push that follows is
     * authorized and audited per subscriber by {@link #changeNotices}. A cached entry of one of these paths that
     * differs from the database is dropped, so the reads and notices that follow see the change too.
     *
     * @return per path, the latest version's metadata; a path holding no secret is absent
     * @throws InvalidRequestException if a path is not a valid secret path
     * @throws SealedException if this instance is sealed
     */
    Map<String, VersionMetadata> latestVersions(java.util.Collection<String> paths);

    /** Soft-deletes the latest version; {@link #undelete} brings it back. */
    void delete(String token, String path);

    /** Soft-deletes the given versions; versions that do not exist are ignored. */
    void delete(String token, String path, int... versions);

    /** Restores soft-deleted versions (destroyed ones stay destroyed). */
    void undelete(String token, String path, int... versions);

    /** Destroys the given versions' data for good; their metadata stays. */
    void destroy(String token, String path, int... versions);

    /**
     * The direct children of a folder: secret names, and sub-folder names ending in {@code /}, sorted.
     *
     * @param prefix a folder path ({@code ""} for the top, trailing {@code /} optional)
     */
    List<String> list(String token, String prefix);

    /** The path's metadata and the metadata of every stored version. */
    SecretMetadata metadata(String token, String path);

    /** Changes the path's settings (max_versions, cas_required), creating its metadata if needed. */
    SecretMetadata updateMetadata(String token, String path, MetadataUpdate update);

    /** Deletes the path with every version and its metadata, for good. */
    void deleteMetadata(String token, String path);
}
