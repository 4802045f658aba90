package io.secrethub.perf.report;

import io.secrethub.perf.LoadTestResult;
import java.util.Objects;

/**
 * One load-test method of a run, as the suite reports show it.
 *
 * @param result the method's result
 * @param status {@code PASS}, {@code FAIL} or {@code ABORTED}: the test's outcome, which SLO breaches,
 *     baseline regressions and timeouts all turn into {@code FAIL}
 * @param failure the failure message, {@code ""} when passed
 */
public record SuiteEntry(LoadTestResult result, String status, String failure) {

    /** Checks that no component is null. */
    public SuiteEntry {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(failure, "failure");
    }

    /** Successful invocations as a percentage of all, 100 when there were none. */
    public double successRatePercent() {
        long all = result.invocationCount();
        return all == 0 ? 100 : 100.0 * result.successCount() / all;
    }
}
