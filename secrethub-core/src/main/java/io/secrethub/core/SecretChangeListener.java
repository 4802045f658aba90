package io.secrethub.core;

/**
 * Hears that secrets changed, on this instance or on any other instance sharing its database
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
}
