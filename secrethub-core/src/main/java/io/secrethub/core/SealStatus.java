package io.secrethub.core;

/**
 * The seal state of this instance. Every instance sharing a database is unsealed on its own, so two
 * instances may report different states.
 *
 * @param sealed whether this instance's keys are out of memory
 * @param threshold how many shares unseal (0 before initialization)
 * @param shares how many shares were handed out (0 before initialization)
 * @param progress how many valid shares this instance holds towards the threshold
 * @param initialized whether the database has been initialized
 */
public record SealStatus(boolean sealed, int threshold, int shares, int progress, boolean initialized) {
}
