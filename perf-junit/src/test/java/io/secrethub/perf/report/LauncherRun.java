package io.secrethub.perf.report;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs a fixture through a complete JUnit Platform launcher, as Surefire or an IDE would, with listeners
 * registered through {@code META-INF/services} (so the suite listener is the real, auto-registered one) and the
 * reports in a directory of their own.
 */
final class LauncherRun {

    private static final AtomicInteger RUNS = new AtomicInteger();

    final Path resultsDir;

    LauncherRun(Class<?> fixture) {
        resultsDir = Path.of("target", "fixture-results",
                "launcher-" + fixture.getSimpleName() + "-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet());
    }

    /** Runs {@code fixture}; the console setting decides whether the suite table is printed. */
    TestExecutionSummary execute(Class<?> fixture, boolean console) {
        try {
            Files.createDirectories(resultsDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(fixture))
                .configurationParameter("perf.results.dir", resultsDir.toString())
                .configurationParameter("perf.report.console", Boolean.toString(console))
                .enableImplicitConfigurationParameters(false)
                .build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, summary);
        return summary.getSummary();
    }
}
