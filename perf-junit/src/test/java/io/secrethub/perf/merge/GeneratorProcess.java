package io.secrethub.perf.merge;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * One load generator of {@link MergeTest}, in a JVM of its own: runs {@link MergeTest.Workload} with its results in
 * {@code args[0]}, as generator {@code args[1]} of run {@code args[2]}, each call sleeping {@code args[3]} ms, once
 * all generators are ready (files in {@code args[4]}).
 */
public final class GeneratorProcess {

    private GeneratorProcess() {
    }

    public static void main(String[] args) {
        System.setProperty(MergeTest.SLEEP_PROPERTY, args[3]);
        System.setProperty(MergeTest.BARRIER_PROPERTY, args[4]);
        System.setProperty(MergeTest.GENERATOR_PROPERTY, args[1]);
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(MergeTest.Workload.class))
                .configurationParameters(Map.of("perf.results.dir", args[0], "perf.generator.id", args[1],
                        "perf.run.id", args[2], "perf.report.console", "false"))
                .enableImplicitConfigurationParameters(false)
                .build(), summary);
        summary.getSummary().getFailures().forEach(failure -> failure.getException().printStackTrace());
        System.exit(summary.getSummary().getTotalFailureCount() == 0 ? 0 : 1);
    }
}
