package io.secrethub.core.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for background work (the expiration manager) to reach a state. The timeout is a bound on a
 * broken test, not a performance assertion: on a slow machine the condition just takes longer.
 */
public final class Eventually {

    private Eventually() {
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + " did not happen within " + timeout);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what, e);
            }
        }
    }
}
