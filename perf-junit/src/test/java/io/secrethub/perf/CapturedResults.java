package io.secrethub.perf;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where fixtures leave their {@link LoadTestResult}s, through an {@code @AfterEach} parameter, for the test that
 * ran them to inspect.
 */
public final class CapturedResults {

    private static final Map<String, LoadTestResult> BY_METHOD = new ConcurrentHashMap<>();

    private CapturedResults() {
    }

    /** Called by fixtures' {@code @AfterEach} methods. */
    public static void capture(LoadTestResult result) {
        BY_METHOD.put(result.method(), result);
    }

    /** The result of the fixture method named {@code method}, from the latest run. */
    public static LoadTestResult of(String method) {
        LoadTestResult result = BY_METHOD.get(method);
        if (result == null) {
            throw new AssertionError("no result captured for " + method + "; captured: " + BY_METHOD.keySet());
        }
        return result;
    }

    /** Forgets every result; call before running a fixture. */
    public static void clear() {
        BY_METHOD.clear();
    }
}
