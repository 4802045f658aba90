package io.secrethub.perf;

/** Work timed by {@link Agent#time(String, ThrowingRunnable)} that returns nothing and may throw. */
@FunctionalInterface
public interface ThrowingRunnable {

    /** Performs the work. */
    void run() throws Exception;
}
