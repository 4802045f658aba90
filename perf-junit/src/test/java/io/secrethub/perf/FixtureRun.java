package io.secrethub.perf;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs a fixture class through the JUnit Platform Test Kit, the way a build would, with its reports in a
 * directory of its own under {@code target/fixture-results} (never the module's {@code target/perf-results}) and
 * without the outer run's system properties, so fixtures are configured only by what a test passes.
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

    /** Runs the fixture and returns the Test Kit's record of it. */
    public EngineExecutionResults execute() {
        try {
            Files.createDirectories(resultsDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(fixture))
                .configurationParameters(parameters)
                .enableImplicitConfigurationParameters(false)
                .execute();
    }

    /** The failure messages of the failed tests of a run, in order. */
    public static List<String> failureMessages(EngineExecutionResults results) {
        return results.testEvents().failed().stream()
                .map(FixtureRun::failure)
                .map(failure -> String.valueOf(failure.getMessage()))
                .toList();
    }

    /** The only failure of a run that must have exactly one failed test. */
    public static Throwable onlyFailure(EngineExecutionResults results) {
        List<Event> failed = results.testEvents().failed().list();
        if (failed.size() != 1) {
            throw new AssertionError("expected exactly one failed test, got " + failed.size() + ": "
                    + failureMessages(results) + "; all events: " + results.allEvents().list());
        }
        return failure(failed.get(0));
    }

    private static Throwable failure(Event event) {
        return event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
    }
}
