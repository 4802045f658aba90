package io.secrethub.perf;

import java.util.concurrent.ConcurrentMap;
import java.util.random.RandomGenerator;

/**
 * One simulated client of a {@link LoadTest}: declare it as a parameter of the test method (or of a
 * {@link BeforeAgent} method) to learn which agent is running and to time named operations.
 *
 * <p>An agent is confined to its own thread; none of its methods may be called from another thread.
 */
public interface Agent {

    /** This agent's number, {@code 0} to {@code agents - 1}. */
    int id();

    /**
     * The current invocation's index within this agent's run, counting from 0: the measured part counts anew
     * after warm-up.
     */
    long iteration();

    /**
     * This agent's random generator, seeded from {@code perf.seed}, the agent and the method, so a run with the
     * same seed draws the same numbers. The seed in use is printed with each result.
     */
    RandomGenerator random();

    /**
     * This agent's own map, kept for the whole test class: what an earlier {@code @LoadTest} method stored (an
     * issued token, a created id) is there for a later one, run with the same number of agents or fewer.
     */
    ConcurrentMap<String, Object> state();

    /**
     * Runs {@code work} and records its latency as the named operation, so a mixed workload gets one histogram
     * per operation. A failure is counted against the operation and rethrown.
     *
     * <p>During warm-up nothing is recorded. Recording allocates nothing after an operation's first use.
     *
     * @param operation the operation's name, as SLOs refer to it with {@code operation = "…"}
     * @param work the work to time
     * @param <T> what the work returns
     * @return what {@code work} returned
     * @throws Exception whatever {@code work} threw, after counting it
     */
    <T> T time(String operation, ThrowingSupplier<T> work) throws Exception;

    /**
     * {@link #time(String, ThrowingSupplier)} for work that returns nothing.
     *
     * @param operation the operation's name, as SLOs refer to it with {@code operation = "…"}
     * @param work the work to time
     * @throws Exception whatever {@code work} threw, after counting it
     */
    void time(String operation, ThrowingRunnable work) throws Exception;
}
