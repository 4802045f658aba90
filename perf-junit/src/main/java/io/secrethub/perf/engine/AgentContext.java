package io.secrethub.perf.engine;

import io.secrethub.perf.Agent;
import io.secrethub.perf.ThrowingRunnable;
import io.secrethub.perf.ThrowingSupplier;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.random.RandomGenerator;

/** The {@link Agent} handed to one agent's invocations; confined to that agent's thread. */
final class AgentContext implements Agent {

    /** One operation as this agent records it: its own recorder and the operation's shared error tally. */
    private record OperationSinks(LatencySink latency, ErrorTally errors) {
    }

    private final int id;
    private final RandomGenerator random;
    private final AgentStates states;
    private final Recording recording;
    // A plain HashMap: only this agent's thread reads or writes it, and a hit costs no allocation.
    private final Map<String, OperationSinks> operations = new HashMap<>();
    private ConcurrentMap<String, Object> state;

    /** Written by the owning worker before each invocation. */
    long iteration;
    /** False during set-up and warm-up, so {@link #time} records nothing then. */
    boolean measuring;

    AgentContext(int id, RandomGenerator random, AgentStates states, Recording recording) {
        this.id = id;
        this.random = random;
        this.states = states;
        this.recording = recording;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public long iteration() {
        return iteration;
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public ConcurrentMap<String, Object> state() {
        if (state == null) {
            state = states.of(id);
        }
        return state;
    }

    @Override
    public <T> T time(String operation, ThrowingSupplier<T> work) throws Exception {
        if (!measuring) {
            return work.get();
        }
        OperationSinks sinks = sinks(operation);
        long start = System.nanoTime();
        T value;
        try {
            value = work.get();
        } catch (Throwable failure) {
            sinks.errors().record(failure);
            throw failure;
        }
        sinks.latency().record(System.nanoTime() - start);
        return value;
    }

    @Override
    public void time(String operation, ThrowingRunnable work) throws Exception {
        if (!measuring) {
            work.run();
            return;
        }
        OperationSinks sinks = sinks(operation);
        long start = System.nanoTime();
        try {
            work.run();
        } catch (Throwable failure) {
            sinks.errors().record(failure);
            throw failure;
        }
        sinks.latency().record(System.nanoTime() - start);
    }

    private OperationSinks sinks(String operation) {
        OperationSinks sinks = operations.get(operation);
        return sinks != null ? sinks : firstUse(operation);
    }

    private OperationSinks firstUse(String operation) {
        if (operation == null || operation.isBlank()) {
            throw new IllegalArgumentException("Agent.time needs an operation name, got " + (operation == null
                    ? "null" : "\"" + operation + "\""));
        }
        Recording.Operation shared = recording.operation(operation);
        OperationSinks sinks = new OperationSinks(shared.latency().sinkFor(id), shared.errors());
        operations.put(operation, sinks);
        return sinks;
    }

    @Override
    public String toString() {
        return "Agent " + id;
    }
}
