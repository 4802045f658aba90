package io.secrethub.core;

import java.time.Instant;

/**
 * The keyring's active term: new values are encrypted with it, values written under older terms
 * still decrypt.
 *
 * @param term the active term number (1 after initialization, +1 per rotation)
 * @param installTime when that term was created
 */
public record KeyStatus(int term, Instant installTime) {
}
