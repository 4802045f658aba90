package io.secrethub.core.sys;

import io.secrethub.core.SealedException;
import io.secrethub.core.keyring.KeySource;
import io.secrethub.core.token.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background upkeep while unsealed, on one daemon thread: pick up keyring terms other instances
 * added (so this instance encrypts with the newest term, not only decrypts it on demand), and delete
 * expired tokens in small batches.
 */
public final class Maintenance implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);
    private static final int SWEEP_BATCH = 1000;

    private final KeySource keys;
    private final TokenStore tokens;
    private final Clock clock;
    private final Duration keyringRefresh;
    private final Duration tokenSweep;
    private final ScheduledExecutorService executor;

    public Maintenance(KeySource keys, TokenStore tokens, Clock clock, Duration keyringRefresh, Duration tokenSweep,
            String node) {
        this.keys = keys;
        this.tokens = tokens;
        this.clock = clock;
        this.keyringRefresh = keyringRefresh;
        this.tokenSweep = tokenSweep;
        // The executor makes its thread when the first task is scheduled, in start().
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "secrethub-maintenance-" + node);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Schedules the keyring refresh and the token sweep. */
    public void start() {
        executor.scheduleWithFixedDelay(() -> quietly("refresh the keyring", () -> keys.current().barrier().refresh()),
                keyringRefresh.toMillis(), keyringRefresh.toMillis(), TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(() -> quietly("sweep expired tokens", () -> {
            keys.current();
            tokens.deleteExpired(clock.instant(), SWEEP_BATCH);
        }), tokenSweep.toMillis(), tokenSweep.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void quietly(String what, Runnable task) {
        try {
            task.run();
        } catch (SealedException e) {
            // nothing to do while sealed
        } catch (RuntimeException e) {
            LOG.warn("could not {}; will retry", what, e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
