package io.secrethub.perf;

/**
 * Work timed by {@link Agent#time(String, ThrowingSupplier)} that returns a value and may throw.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface ThrowingSupplier<T> {

    /** Performs the work. */
    T get() throws Exception;
}
