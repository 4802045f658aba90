package io.secrethub.perf.report;

import io.secrethub.perf.LoadTestResult;
import java.util.Objects;

/**
 * One load-test method of a run, as the suite reports show it.
 *
 * @param result the method's result
 * @param status the test's outcome; SLO breaches, baseline regressions and timeouts all turn into
 *     {@link Status#FAIL}
 * @param failure the failure message, {@code ""} when passed
 */
public record SuiteEntry(LoadTestResult result, Status status, String failure) {

    /** A test's outcome, named as the suite table, {@code run.json} and {@code summary.md} print it. */
    public enum Status {
        /** The test passed. */
        PASS,
        /** The test failed: an SLO breach, a regression, a timeout or an exception. */
        FAIL,
        /** The test was aborted (an assumption failed) or never reported an outcome. */
        ABORTED
    }

    /** Checks that no component is null. */
    public SuiteEntry {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(failure, "failure");
    }

    /** Whether the test passed. */
    public boolean passed() {
        return status == Status.PASS;
    }

    /** Successful invocations as a percentage of all, 100 when there were none. */
    public double successRatePercent() {
        long all = result.invocationCount();
        return all == 0 ? 100 : 100.0 * result.successCount() / all;
    }
}
