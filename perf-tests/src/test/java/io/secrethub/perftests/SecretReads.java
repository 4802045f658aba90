package io.secrethub.perftests;

import io.secrethub.core.Secret;
import io.secrethub.core.SecretHub;
import java.util.concurrent.locks.LockSupport;

/**
 * How the suites read a secret: through here, so a test-only switch can make reads slower on purpose.
 *
 * <p>{@value #SLOWDOWN_KEY}{@code =25} makes every read take 25% longer than it did (the read runs, then the agent
 * waits a quarter of its time), to prove that the regression gate notices a real slowdown of reads and names them.
 * It lives in the suites' client layer, never in SecretHub itself, and says so on the console when it is on.
 */
final class SecretReads {

    static final String SLOWDOWN_KEY = "secrethub.perf.inject.readSlowdown";

    /** Extra time as a fraction of the read's own time; 0 when the switch is off. */
    private static volatile double slowdown;

    private SecretReads() {
    }

    /** Reads the switch; call from each suite's {@code @BeforeAll}. */
    static void configure(SuiteSettings settings) {
        double percent = settings.nonNegative(SLOWDOWN_KEY, 0);
        if (percent > 0 && slowdown != percent / 100) {
            System.out.printf("[perf] secret reads slowed down by %s%% on purpose (%s, a test-only switch)%n",
                    percent, SLOWDOWN_KEY);
        }
        slowdown = percent / 100;
    }

    static Secret read(SecretHub hub, String token, String path) {
        double extra = slowdown;
        if (extra == 0) {
            return hub.secrets().read(token, path);
        }
        long start = System.nanoTime();
        Secret secret = hub.secrets().read(token, path);
        long until = System.nanoTime() + (long) ((System.nanoTime() - start) * extra);
        for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
        return secret;
    }
}
