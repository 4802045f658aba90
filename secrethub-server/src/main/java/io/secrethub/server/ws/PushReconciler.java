package io.secrethub.server.ws;

import io.secrethub.core.SecretHub;
import io.secrethub.core.VersionMetadata;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The backstop of the agent channel's pushes: a change whose notification never reached this instance (its writer
 * died between commit and announcement), or whose push failed (audit log or database unavailable), would otherwise
 * leave the agents holding the old version until they reconnect. Each round compares what every agent was told of
 * the paths it follows with the database ({@link io.secrethub.core.Secrets#latestVersions}, one query) and fans
 * out again a path that differed in two rounds in a row with the same state in the database: one round alone may
 * only have caught a push on its way.
 *
 * <p>A path is fanned out again once per state of the database, so a subscriber that may no longer read it (whose
 * copy therefore stays behind) costs one extra fan-out, not one every round; a fan-out that fails is forgotten
 * here ({@link #fanOutFailed}) and tried again on the next round that still sees the difference.
 *
 * <p>Not covered: a path created under a subscribed prefix whose notification was lost, as the agent was never
 * told of it (its next reconnect's sync does not name it either).
 */
final class PushReconciler {

    private final SecretHub hub;
    private final Consumer<String> fanOut;
    private final AtomicBoolean running = new AtomicBoolean();
    /** The paths that differed in the last round, with the database's state then; touched by one round at a time. */
    private Map<String, SecretState> suspects = Map.of();
    /** The state each path was last fanned out again for. */
    private final Map<String, SecretState> refanned = new ConcurrentHashMap<>();
    private final AtomicLong fannedOutAgain = new AtomicLong();

    PushReconciler(SecretHub hub, Consumer<String> fanOut) {
        this.hub = hub;
        this.fanOut = fanOut;
    }

    /** One round over {@code sockets}; skipped if the previous round still runs or the database cannot answer. */
    void run(Iterable<AgentSocket> sockets) {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            round(sockets);
        } catch (RuntimeException e) {
            // sealed or database trouble: the next round tries again, and the feed's reconnect re-fans out anyway
        } finally {
            running.set(false);
        }
    }

    private void round(Iterable<AgentSocket> sockets) {
        Map<String, Set<SecretState>> told = new HashMap<>();
        for (AgentSocket socket : sockets) {
            socket.toldStates((path, state) -> told.computeIfAbsent(path, p -> new HashSet<>(2)).add(state));
        }
        if (told.isEmpty()) {
            suspects = Map.of();
            refanned.clear();
            return;
        }
        Map<String, VersionMetadata> latest = hub.secrets().latestVersions(told.keySet());
        Map<String, SecretState> differing = new HashMap<>();
        for (Map.Entry<String, Set<SecretState>> e : told.entrySet()) {
            VersionMetadata stored = latest.get(e.getKey());
            SecretState now = stored == null ? SecretState.GONE : SecretState.of(stored);
            if (e.getValue().size() > 1 || !e.getValue().contains(now)) {
                differing.put(e.getKey(), now);
            }
        }
        for (Map.Entry<String, SecretState> e : differing.entrySet()) {
            String path = e.getKey();
            if (e.getValue().equals(suspects.get(path)) && !e.getValue().equals(refanned.put(path, e.getValue()))) {
                fannedOutAgain.incrementAndGet();
                fanOut.accept(path);
            }
        }
        suspects = differing;
        refanned.keySet().retainAll(told.keySet());
    }

    /** A fan-out of {@code path} failed: the next round that still sees it differ fans it out again. */
    void fanOutFailed(String path) {
        refanned.remove(path);
    }

    /** Paths fanned out again since the start (each a change whose push had been lost). */
    long fannedOutAgain() {
        return fannedOutAgain.get();
    }
}
