package io.secrethub.perf.engine;

import io.secrethub.perf.GeneratorHealth;
import io.secrethub.perf.HostConditions;
import io.secrethub.perf.LoadSettings;
import io.secrethub.perf.LoadTest;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.ProfileSummary;
import io.secrethub.perf.baseline.BaselineCheck;
import io.secrethub.perf.config.ConfigurationSource;
import io.secrethub.perf.config.LoadSettingsResolver;
import io.secrethub.perf.config.PerfKeys;
import io.secrethub.perf.config.ProfileMode;
import io.secrethub.perf.config.RunOptions;
import io.secrethub.perf.report.ConsoleReport;
import io.secrethub.perf.report.IntervalLog;
import io.secrethub.perf.report.ReportEntries;
import io.secrethub.perf.report.ResultFiles;
import io.secrethub.perf.report.ResultJson;
import io.secrethub.perf.report.SettingsText;
import io.secrethub.perf.slo.Slo;
import io.secrethub.perf.slo.SloAnnotations;
import io.secrethub.perf.units.Durations;
import io.secrethub.perf.units.Figures;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.AssertionFailedError;

/**
 * One {@code @LoadTest} method from configuration to verdict: resolve settings and SLOs (failing fast on bad
 * ones), run the load, assemble the result, report it, and fail the test on SLO breaches, baseline regressions or
 * a timeout, all in one message.
 */
final class LoadTestExecution {

    private final LoadTest annotation;
    private final ReflectiveInvocationContext<Method> invocation;
    private final ExtensionContext context;
    private final Class<?> testClass;
    private final Method method;
    private final String label;

    LoadTestExecution(LoadTest annotation, ReflectiveInvocationContext<Method> invocation, ExtensionContext context) {
        this.annotation = annotation;
        this.invocation = invocation;
        this.context = context;
        this.testClass = context.getRequiredTestClass();
        this.method = invocation.getExecutable();
        this.label = LoadPlan.label(testClass, method);
    }

    /** Runs the load test; returns its result, or throws the failure the test should report. */
    LoadTestResult run() throws InterruptedException {
        // Everything that can be wrong with the configuration fails here, before any load is generated.
        ConfigurationSource config = new ConfigurationSource(context::getConfigurationParameter);
        LoadSettings requested = LoadSettingsResolver.resolve(annotation, testClass, method.getName(), label,
                config);
        RunOptions options = RunOptions.from(config);
        List<Slo> slos = SloAnnotations.read(method, label, options.slo().minSamples());
        boolean abortOnFailure = LoadSettingsResolver.abortOnFailure(annotation, testClass, method.getName(),
                label, config);
        LoadSettings settings = requested.withThreads(AgentThreads.choose(requested.threads()));
        Object target = invocation.getTarget().orElseThrow(
                () -> new IllegalStateException(label + ": a @LoadTest method must be an instance method"));
        LoadPlan plan = LoadPlan.of(testClass, method, target, invocation.getArguments(), settings);
        Consumer<String> console = options.console() ? LoadTestExecution::print : line -> { };

        Recording recording = new Recording(RecorderLayout.forAgents(settings.agents()), settings.openModel());
        TimelineRecorder timeline = new TimelineRecorder();
        WindowWatch watch = abortOnFailure ? WindowWatch.of(slos, timeline).orElse(null) : null;
        JfrProfile jfr = options.profile() == ProfileMode.JFR
                ? JfrProfile.to(ResultFiles.jfr(options.resultsDir(), testClass.getName(), method.getName()),
                        agentThreadPrefix())
                : null;
        HostConditions.Sample before = options.hostProbe()
                ? HostProbe.measure(options.resultsDir(), HostProbe.EACH) : HostConditions.Sample.NONE;
        RunOutcome outcome = runLoad(plan, recording, timeline, slos, watch, options, console, jfr);
        failIfNothingWasMeasured(outcome, settings);
        HostConditions host = options.hostProbe()
                ? new HostConditions(before, HostProbe.measure(options.resultsDir(), HostProbe.EACH))
                : HostConditions.NONE;

        ProfileSummary profile = switch (options.profile()) {
            case OFF -> ProfileSummary.OFF;
            case GC -> new ProfileSummary("gc", "", 0, List.of(), List.of(), List.of(), outcome.gcPauses().count(),
                    outcome.gcPauses().totalNanos(), outcome.gcPauses().maxNanos(), outcome.allocatedBytes(),
                    outcome.allocatedBytes() < 0 ? "the agents' threads kept no allocation count" : "");
            case JFR -> jfr.summarize(outcome.allocatedBytes());
        };
        GeneratorHealth generator = GeneratorCheck.assess(outcome, settings, options.generator());
        LoadTestResult result = ResultAssembler.assemble(plan, recording, timeline, outcome, slos,
                options.slo().inconclusiveFails(), profile, generator, host);
        report(result, options, console);
        List<String> failures = new ArrayList<>();
        if (generator.wasBottleneck() && options.generator().strict()) {
            failures.add("the load generator was the bottleneck: " + generator.bottleneck() + " ("
                    + PerfKeys.GENERATOR_STRICT + "=true)");
        }
        if (outcome.timedOut()) {
            failures.add(timeoutMessage(settings, result, outcome));
        }
        if (watch != null && watch.breach() != null) {
            failures.add("stopped after " + Durations.format((long) (watch.stoppedAtSeconds() * 1e9))
                    + " at the first breached window (@LoadTest abortOnFailure)");
        }
        result.breaches().forEach(breach -> failures.add(breach.breach()));
        failures.addAll(BaselineCheck.apply(result, options, console));
        if (!failures.isEmpty()) {
            AssertionFailedError failure = new AssertionFailedError(method.getName() + ": "
                    + String.join("; ", failures));
            // The first exception of each type, so the IDE shows where the failing invocations threw.
            recording.errors().firstFailures().forEach(failure::addSuppressed);
            throw failure;
        }
        return result;
    }

    private RunOutcome runLoad(LoadPlan plan, Recording recording, TimelineRecorder timeline, List<Slo> slos,
            WindowWatch watch, RunOptions options, Consumer<String> console, JfrProfile jfr)
            throws InterruptedException {
        LoadSettings settings = plan.settings();
        Path hlog = ResultFiles.hlog(options.resultsDir(), testClass.getName(), method.getName());
        IntervalLog log = IntervalLog.create(hlog, Instant.now(),
                label + ": " + SettingsText.describe(settings) + "; values in nanoseconds");
        IntervalSampler sampler = new IntervalSampler(recording, timeline,
                LoadPlan.displayName(testClass) + "." + method.getName(), log, options.console() ? console : null,
                options.progressInterval(), watch, slos);
        ThreadFactory threads = AgentThreads.factory(settings.threads(), agentThreadPrefix());
        return new LoadRunner(plan, recording, sampler, AgentStatesStore.of(context), threads, jfr).run();
    }

    private String agentThreadPrefix() {
        return "perf-" + method.getName() + "-agent-";
    }

    private void failIfNothingWasMeasured(RunOutcome outcome, LoadSettings settings) {
        if (outcome.abortCause() instanceof AgentSetupException setUpFailed) {
            throw setUpFailed;
        }
        if (outcome.abortCause() != null) {
            // Reflection refused the call: an inaccessible method or arguments of the wrong type.
            throw new IllegalStateException(label + ": the engine cannot invoke the method: " + outcome.abortCause(),
                    outcome.abortCause());
        }
        if (!outcome.measuredPartStarted()) {
            throw new AssertionFailedError(method.getName() + ": timed out after "
                    + Durations.format(settings.timeout()) + " before the measured part started (in @BeforeAgent"
                    + " methods or warm-up)");
        }
    }

    /** The result goes to the {@code @AfterEach} store, the console, its JSON file and the report entries. */
    private void report(LoadTestResult result, RunOptions options, Consumer<String> console) {
        LoadTestExtension.storeResult(context, result);
        console.accept(ConsoleReport.render(result));
        Path json = ResultFiles.json(options.resultsDir(), testClass.getName(), method.getName());
        ResultJson.write(result, json);
        context.publishReportEntry(ReportEntries.of(result, json));
    }

    private static String timeoutMessage(LoadSettings settings, LoadTestResult result, RunOutcome outcome) {
        String planned = settings.durationBased() ? ""
                : " of " + Figures.count((long) settings.agents() * settings.iterations());
        String stuck = outcome.agentsStillRunning() == 0 ? ""
                : "; " + outcome.agentsStillRunning() + " agents did not stop when interrupted";
        return "timed out after " + Durations.format(settings.timeout()) + " (@LoadTest timeout): "
                + Figures.count(result.invocationCount()) + planned + " invocations completed" + stuck;
    }

    private static void print(String text) {
        System.out.println(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
        System.out.flush();
    }
}
