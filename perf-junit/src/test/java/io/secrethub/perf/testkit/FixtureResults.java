package io.secrethub.perf.testkit;

import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.report.ReportEntries;
import io.secrethub.perf.report.ResultJson;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * What a {@link FixtureRun} produced: the Test Kit's events, and per test method its report entries and, for a
 * load test that got as far as measuring, its {@link LoadTestResult}.
 *
 * <p>Results arrive the way the suite listener receives them: the engine publishes the path of each method's JSON
 * file as report entry {@value ReportEntries#RESULT_FILE}, and the result is read back from that file (whose
 * faithfulness {@code ReportFilesTest} checks against the result handed to {@code @AfterEach}).
 */
public final class FixtureResults {

    /**
     * The report entry in which a fixture's {@code @AfterEach} method can publish the {@code LoadTestResult} it
     * received, as text ({@code reporter.publishEntry(AFTER_EACH_RESULT, result.toString())}): records print every
     * component, so equal text means an equal result. For tests of the injection itself; everything else reads
     * {@link #result(String)}.
     */
    public static final String AFTER_EACH_RESULT = "test.afterEach.result";

    private final EngineExecutionResults results;

    FixtureResults(EngineExecutionResults results) {
        this.results = results;
    }

    /** The Test Kit's record of the run. */
    public EngineExecutionResults engineResults() {
        return results;
    }

    /** The events of the tests (not of containers). */
    public Events testEvents() {
        return results.testEvents();
    }

    /** Every event of the run. */
    public Events allEvents() {
        return results.allEvents();
    }

    /** Every report entry published for test method {@code method}, merged in publication order. */
    public Map<String, String> reportEntries(String method) {
        Map<String, String> merged = new LinkedHashMap<>();
        results.allEvents().reportingEntryPublished().stream()
                .filter(event -> method.equals(methodName(event.getTestDescriptor().getSource()).orElse(null)))
                .forEach(event -> merged.putAll(event.getRequiredPayload(ReportEntry.class).getKeyValuePairs()));
        return merged;
    }

    /** The result of load-test method {@code method}. */
    public LoadTestResult result(String method) {
        String file = reportEntries(method).get(ReportEntries.RESULT_FILE);
        if (file == null) {
            throw new AssertionError("no load-test result for " + method + "; report entries: "
                    + results.allEvents().reportingEntryPublished().list());
        }
        return ResultJson.read(Path.of(file));
    }

    /** What fixture method {@code method}'s {@code @AfterEach} published as {@link #AFTER_EACH_RESULT}. */
    public String resultSeenByAfterEach(String method) {
        String text = reportEntries(method).get(AFTER_EACH_RESULT);
        if (text == null) {
            throw new AssertionError("the @AfterEach of " + method + " published no " + AFTER_EACH_RESULT);
        }
        return text;
    }

    /** The failure messages of the failed tests, in order. */
    public List<String> failureMessages() {
        return results.testEvents().failed().stream()
                .map(FixtureResults::failure)
                .map(failure -> String.valueOf(failure.getMessage()))
                .toList();
    }

    /** The only failure of a run that must have exactly one failed test. */
    public Throwable onlyFailure() {
        List<Event> failed = results.testEvents().failed().list();
        if (failed.size() != 1) {
            throw new AssertionError("expected exactly one failed test, got " + failed.size() + ": "
                    + failureMessages() + "; all events: " + results.allEvents().list());
        }
        return failure(failed.get(0));
    }

    private static Throwable failure(Event event) {
        return event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
    }

    /** The name of the test method at {@code source}, if it is one. */
    static Optional<String> methodName(Optional<TestSource> source) {
        return source
                .filter(MethodSource.class::isInstance)
                .map(methodSource -> ((MethodSource) methodSource).getMethodName());
    }
}
