package io.secrethub.core.runtime;

import java.util.Objects;

/**
 * One entry of a hub's ordered service list ({@link HubServices}): what a component does when the hub starts,
 * when it seals, and when it stops. Components keep plain methods ({@code start()}, {@code close()}, a cache's
 * {@code clear()}); the entry names them, so the order of all of them is written down in one place
 * ({@link HubComponents}).
 */
final class HubService {

    private static final Runnable NOTHING = () -> { };

    private final String name;
    private final Runnable start;
    private final Runnable seal;
    private final Runnable stop;

    private HubService(String name, Runnable start, Runnable seal, Runnable stop) {
        this.name = Objects.requireNonNull(name, "name");
        this.start = Objects.requireNonNull(start, "start");
        this.seal = Objects.requireNonNull(seal, "seal");
        this.stop = Objects.requireNonNull(stop, "stop");
    }

    /** A service that does nothing yet; add what it does with the {@code on…} methods. */
    static HubService named(String name) {
        return new HubService(name, NOTHING, NOTHING, NOTHING);
    }

    /** Starts the component's background threads: runs once, after every component is wired. */
    HubService onStart(Runnable action) {
        return new HubService(name, action, seal, stop);
    }

    /** Drops what the keys protected, or waits for work that needs them: runs each time the hub seals. */
    HubService onSeal(Runnable action) {
        return new HubService(name, start, action, stop);
    }

    /** Stops the threads and releases resources: runs once, when the hub closes. */
    HubService onStop(Runnable action) {
        return new HubService(name, start, seal, action);
    }

    String name() {
        return name;
    }

    void start() {
        start.run();
    }

    void sealed() {
        seal.run();
    }

    void stop() {
        stop.run();
    }

    @Override
    public String toString() {
        return name;
    }
}
