package io.secrethub.server.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The server addresses of one client and which of them failed recently. Each session (and agent) starts on its own
 * address, round-robin, so a fleet spreads over the instances, and stays there while it works (its keep-alive
 * connection and TLS session are there); when an address fails it is penalized for a short while and the session
 * moves to the next address that is not. A penalized address is still tried when every address is, so a cluster
 * that restarts as a whole is found again at once.
 */
final class Endpoints {

    private final List<String> urls;
    private final long penaltyNanos;
    private final AtomicLongArray penalizedUntil;
    private final AtomicInteger starts = new AtomicInteger();

    Endpoints(List<String> urls, Duration penalty) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("at least one server address is needed");
        }
        this.urls = List.copyOf(urls);
        this.penaltyNanos = penalty.toNanos();
        this.penalizedUntil = new AtomicLongArray(urls.size());
    }

    int size() {
        return urls.size();
    }

    String url(int index) {
        return urls.get(index);
    }

    List<String> urls() {
        return urls;
    }

    /** The address a new session or agent starts on: the next one round-robin. */
    int start() {
        return Math.floorMod(starts.getAndIncrement(), urls.size());
    }

    /**
     * {@code preferred} when it is not penalized, else the next address after it that is not, else (all penalized)
     * the one whose penalty ends first.
     */
    int choose(int preferred) {
        long now = System.nanoTime();
        int soonest = preferred;
        for (int step = 0; step < urls.size(); step++) {
            int index = (preferred + step) % urls.size();
            long until = penalizedUntil.get(index);
            if (until == 0 || until - now <= 0) {
                return index;
            }
            if (until - penalizedUntil.get(soonest) < 0) {
                soonest = index;
            }
        }
        return soonest;
    }

    /** {@code index} failed: penalize it, and return where to go next. */
    int failed(int index) {
        long until = System.nanoTime() + penaltyNanos;
        penalizedUntil.set(index, until == 0 ? 1 : until);
        return choose((index + 1) % urls.size());
    }

    /** Whether {@code index} is penalized now. */
    boolean penalized(int index) {
        long until = penalizedUntil.get(index);
        return until != 0 && until - System.nanoTime() > 0;
    }
}
