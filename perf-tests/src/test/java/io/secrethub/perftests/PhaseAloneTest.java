package io.secrethub.perftests;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.secrethub.perf.LoadTest;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.engine.TestExecutionResult;
import org.opentest4j.AssertionFailedError;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The IDE's run button on one phase: every load-test method of the ordered suites, run alone in a real JUnit run
 * (JUnit Platform Test Kit, as a click on the method does), must pass, getting what earlier phases would have
 * handed it in its own unmeasured set-up. Tiny on purpose: 2 agents, 2 requests each, no warm-up, a few hundred
 * leases; it checks that the phases stand alone, not how fast they are.
 */
class PhaseAloneTest {

    private static final Map<String, String> TINY = Map.of(
            "perf.agents", "2",
            "perf.iterations", "2",
            "perf.duration", "0",
            "perf.warmup", "0",
            "perf.report.console", "false",
            LeaseScaleLoadTest.LEASES_KEY, "200");

    @TempDir
    static Path results;

    static Stream<Arguments> phases() {
        return Stream.of(AgentLoadTest.class, AgentHttpLoadTest.class, LeaseScaleLoadTest.class).flatMap(suite -> Arrays
                .stream(suite.getDeclaredMethods()).filter(method -> method.isAnnotationPresent(LoadTest.class))
                .sorted(Comparator.comparing(Method::getName))
                .map(method -> Arguments.of(suite.getSimpleName(), method.getName(), method)));
    }

    @ParameterizedTest(name = "{0}#{1} alone")
    @MethodSource("phases")
    void runsAlone(String suite, String phase, Method method) {
        EngineExecutionResults run = EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(method.getDeclaringClass(), method))
                .configurationParameters(TINY)
                .configurationParameter("perf.results.dir", results.toString())
                .execute();

        List<Throwable> failures = run.allEvents().failed().stream()
                .map(event -> event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                        .orElseThrow())
                .filter(failure -> !onlyTinyScaleSloBreaches(phase, failure)).toList();
        if (!failures.isEmpty()) {
            fail(suite + "#" + phase + " failed when run alone", failures.get(0));
        }
        run.testEvents().assertStatistics(stats -> stats.started(1).finished(1).aborted(0));
    }

    /**
     * Throughput and latency SLOs are set for 100 agents measuring for seconds, and 2 agents doing 2 requests each
     * miss them; that is not what this checks. Nor do the per-operation budgets hold over 4 operations: they carry
     * a cold JIT's allocation and, unbatched, the audit writes and the background work of the measured second
     * (31 KB and 3 statements per read, against 7.5 KB and 0.02 at 100 agents). Any failed operation still fails
     * it: the error-rate SLO is 0.
     */
    private static boolean onlyTinyScaleSloBreaches(String phase, Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        return failure instanceof AssertionFailedError && message.startsWith(phase + ": ")
                && Arrays.stream(message.substring(phase.length() + 2).split("; "))
                        .allMatch(breach -> breach.matches(
                                ".*\\((@MinThroughput|@MaxP\\d+|@MaxAllocationPerOp|@MaxQueriesPerOp)\\)$"));
    }
}
