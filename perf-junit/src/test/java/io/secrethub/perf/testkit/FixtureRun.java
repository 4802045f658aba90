package io.secrethub.perf.testkit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs a fixture class the way a build would, with its reports in a directory of its own under
 * {@code target/fixture-results} (never the module's {@code target/perf-results}) and without the outer run's
 * system properties, so fixtures are configured only by what a test passes.
 *
 * <ul>
 *   <li>{@link #execute()} runs it through the JUnit Platform Test Kit and returns what happened, including each
 *       load-test method's {@link io.secrethub.perf.LoadTestResult}: fixtures need no code of their own to hand
 *       their results over;</li>
 *   <li>{@link #launch()} runs it through a complete launcher, as Surefire or an IDE would, with the listeners
 *       registered through {@code META-INF/services} (so the suite listener is the real, auto-registered one).</li>
 * </ul>
 */
public final class FixtureRun {

    private static final AtomicInteger RUNS = new AtomicInteger();

    private final Class<?> fixture;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final Path resultsDir;

    private FixtureRun(Class<?> fixture) {
        this.fixture = fixture;
        this.resultsDir = Path.of("target", "fixture-results",
                fixture.getSimpleName() + "-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet());
        parameters.put("perf.results.dir", resultsDir.toString());
        // Fixture tables would drown the build log; -Dfixture.console=true shows them when debugging.
        parameters.put("perf.report.console", System.getProperty("fixture.console", "false"));
    }

    /** A run of {@code fixture}. */
    public static FixtureRun of(Class<?> fixture) {
        return new FixtureRun(fixture);
    }

    /** Sets a configuration parameter for the run. */
    public FixtureRun with(String key, String value) {
        parameters.put(key, value);
        return this;
    }

    /** Where the run's reports go. */
    public Path resultsDir() {
        return resultsDir;
    }

    /** Runs the fixture through the Test Kit and returns its events and results. */
    public FixtureResults execute() {
        createResultsDir();
        return new FixtureResults(EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(fixture))
                .configurationParameters(parameters)
                .enableImplicitConfigurationParameters(false)
                .execute());
    }

    /** Runs the fixture through a complete launcher and returns its summary and report entries. */
    public LaunchResults launch() {
        createResultsDir();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(fixture))
                .configurationParameters(parameters)
                .enableImplicitConfigurationParameters(false)
                .build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        LaunchResults.Collector entries = new LaunchResults.Collector();
        LauncherFactory.create().execute(request, summary, entries);
        return entries.results(summary.getSummary());
    }

    private void createResultsDir() {
        try {
            Files.createDirectories(resultsDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
