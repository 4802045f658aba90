package io.secrethub.perf.engine;

import io.secrethub.perf.Agent;
import io.secrethub.perf.ThrowingRunnable;
import io.secrethub.perf.ThrowingSupplier;
import java.util.concurrent.ConcurrentMap;
import java.util.random.RandomGenerator;

/**
 * What JUnit's parameter resolution gets for an {@link Agent} parameter: a marker the interceptor replaces with
 * each agent's own context before invoking. Only reachable if something invokes the method outside the engine.
 */
final class UnresolvedAgent implements Agent {

    static final UnresolvedAgent INSTANCE = new UnresolvedAgent();

    private UnresolvedAgent() {
    }

    @Override
    public int id() {
        throw outsideLoadTest();
    }

    @Override
    public long iteration() {
        throw outsideLoadTest();
    }

    @Override
    public RandomGenerator random() {
        throw outsideLoadTest();
    }

    @Override
    public ConcurrentMap<String, Object> state() {
        throw outsideLoadTest();
    }

    @Override
    public <T> T time(String operation, ThrowingSupplier<T> work) {
        throw outsideLoadTest();
    }

    @Override
    public void time(String operation, ThrowingRunnable work) {
        throw outsideLoadTest();
    }

    private static IllegalStateException outsideLoadTest() {
        return new IllegalStateException("An Agent is only available while a @LoadTest method runs on its agents");
    }
}
