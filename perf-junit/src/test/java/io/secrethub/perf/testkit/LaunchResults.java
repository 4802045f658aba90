package io.secrethub.perf.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** What {@link FixtureRun#launch()} produced: the launcher's summary and the report entries of each test method. */
public final class LaunchResults {

    private final TestExecutionSummary summary;
    private final Map<String, Map<String, String>> entriesByMethod;

    private LaunchResults(TestExecutionSummary summary, Map<String, Map<String, String>> entriesByMethod) {
        this.summary = summary;
        this.entriesByMethod = entriesByMethod;
    }

    /** The launcher's counts and failures. */
    public TestExecutionSummary summary() {
        return summary;
    }

    /** Every report entry published for test method {@code method} in this launcher's run, merged in order. */
    public Map<String, String> reportEntries(String method) {
        return Map.copyOf(entriesByMethod.getOrDefault(method, Map.of()));
    }

    /** Collects the report entries of one launcher execution, by test method. */
    static final class Collector implements TestExecutionListener {

        private final Map<String, Map<String, String>> entriesByMethod = new LinkedHashMap<>();

        @Override
        public synchronized void reportingEntryPublished(TestIdentifier testIdentifier, ReportEntry entry) {
            FixtureResults.methodName(testIdentifier.getSource()).ifPresent(method ->
                    entriesByMethod.computeIfAbsent(method, name -> new LinkedHashMap<>())
                            .putAll(entry.getKeyValuePairs()));
        }

        synchronized LaunchResults results(TestExecutionSummary summary) {
            return new LaunchResults(summary, new LinkedHashMap<>(entriesByMethod));
        }
    }
}
