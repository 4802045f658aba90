package io.secrethub.perf;

/**
 * AssertJ entry point for {@link LoadTestResult}s. Needs {@code org.assertj:assertj-core} on the test class
 * path (an optional dependency of this library).
 *
 * <pre>{@code
 * @AfterEach
 * void check(LoadTestResult result) {
 *     PerfAssertions.assertThat(result).hasNoErrors().hasP95AtMost(Duration.ofMillis(50));
 * }
 * }</pre>
 */
public final class PerfAssertions {

    private PerfAssertions() {
    }

    /** Starts an assertion on {@code result}. */
    public static LoadTestResultAssert assertThat(LoadTestResult result) {
        return new LoadTestResultAssert(result);
    }
}
