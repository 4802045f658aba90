package io.secrethub.core;

/**
 * Hears that secrets changed, and that tokens and agent certificates were revoked, on this instance or on any
 * other instance sharing its database
 * ({@link SecretHub#addSecretChangeListener}). A server uses it to push changes to connected agents.
 *
 * <p>Only the path is told, never a value or a version: a listener that needs more reads it through the
 * {@link Secrets} facade, authorized and audited like any caller. Calls come from the writer's thread (changes
 * on this instance) or the instance's change-feed thread (changes on others), so a listener must return quickly
 * (queue the work) and must tolerate a change told more than once, or told for a write that did not commit.
 */
@FunctionalInterface
public interface SecretChangeListener {

    /** Something about {@code path} (a version, its deletion, its metadata) may have changed. */
    void secretChanged(String path);

    /**
     * Changes on other instances may have gone unheard: the instance's notification connection was lost and is
     * listening again. A listener that must not miss a change re-checks every path it cares about.
     */
    default void changesMayHaveBeenMissed() {
    }

    /**
     * The token whose accessor is {@code accessor} was revoked (directly, with its parent, or when its lease was
     * revoked or expired), on this instance or another. Told once the revocation committed, from the change-feed
     * thread; a connection authenticated by that token should be closed.
     */
    default void tokenRevoked(String accessor) {
    }

    /**
     * The agent {@code agentId}'s certificates were revoked, or it registered again, on this instance or another:
     * a certificate it presented earlier may no longer be valid, and should be verified again.
     */
    default void agentCertificatesChanged(String agentId) {
    }
}
