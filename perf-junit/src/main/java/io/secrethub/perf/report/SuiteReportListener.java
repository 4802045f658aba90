package io.secrethub.perf.report;

import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.config.ConfigurationSource;
import io.secrethub.perf.config.RunOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints the suite table and writes {@code run.json}, {@code summary.md} and {@code index.html} at the end of a
 * test run that ran load tests. Registered through {@code META-INF/services}, so every JUnit Platform launcher
 * (Maven Surefire, Gradle, IDEs) picks it up; a run without load tests is left alone.
 *
 * <p>Results arrive only as report entries of this launcher's own execution (see {@link ReportEntries#RESULT_FILE}),
 * and each launcher creates its own listener instance. So load tests that a test runs in the same JVM through the
 * JUnit Platform Test Kit, or through another launcher, never show up here.
 */
public class SuiteReportListener implements TestExecutionListener {

    /** One method's result and, once known, its test outcome. */
    private static final class Pending {
        final LoadTestResult result;
        SuiteEntry.Status status = SuiteEntry.Status.ABORTED;
        String failure = "";

        Pending(LoadTestResult result) {
            this.result = result;
        }
    }

    private final Map<String, Pending> byUniqueId = new LinkedHashMap<>();
    private Instant started = Instant.now();

    /** Creates the listener; the launcher does so through {@link java.util.ServiceLoader}. */
    public SuiteReportListener() {
    }

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
        byUniqueId.clear();
        started = Instant.now();
    }

    @Override
    public synchronized void reportingEntryPublished(TestIdentifier testIdentifier, ReportEntry entry) {
        String file = entry.getKeyValuePairs().get(ReportEntries.RESULT_FILE);
        if (file == null) {
            return;
        }
        try {
            byUniqueId.put(testIdentifier.getUniqueId(), new Pending(ResultJson.read(Path.of(file))));
        } catch (RuntimeException unreadable) {
            System.err.println("[perf] cannot include " + testIdentifier.getDisplayName() + " in the suite report: "
                    + unreadable.getMessage());
        }
    }

    @Override
    public synchronized void executionFinished(TestIdentifier testIdentifier, TestExecutionResult result) {
        Pending pending = byUniqueId.get(testIdentifier.getUniqueId());
        if (pending == null) {
            return;
        }
        pending.status = switch (result.getStatus()) {
            case SUCCESSFUL -> SuiteEntry.Status.PASS;
            case FAILED -> SuiteEntry.Status.FAIL;
            case ABORTED -> SuiteEntry.Status.ABORTED;
        };
        pending.failure = result.getThrowable()
                .map(failure -> failure.getMessage() != null ? failure.getMessage() : failure.toString()).orElse("");
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan testPlan) {
        if (byUniqueId.isEmpty()) {
            return;
        }
        List<SuiteEntry> entries = new ArrayList<>();
        for (Pending pending : byUniqueId.values()) {
            entries.add(new SuiteEntry(pending.result, pending.status, pending.failure));
        }
        RunOptions options = RunOptions.from(new ConfigurationSource(testPlan.getConfigurationParameters()::get));
        if (options.console()) {
            System.out.print(SuiteTable.render(entries));
            System.out.flush();
        }
        Path directory = options.resultsDir();
        Instant finished = Instant.now();
        RunJson.write(directory.resolve(ResultFiles.RUN_JSON), started, finished, entries);
        SummaryFile.write(directory.resolve(ResultFiles.SUMMARY), SummaryMarkdown.render(entries));
        SummaryFile.write(directory.resolve(ResultFiles.HTML), HtmlReport.render(entries, started, finished,
                MachineInfo.current(), BaselineComparisons.forRun(options)));
        byUniqueId.clear();
    }
}
