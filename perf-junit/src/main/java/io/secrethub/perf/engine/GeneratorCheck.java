package io.secrethub.perf.engine;

import io.secrethub.perf.GeneratorHealth;
import io.secrethub.perf.LoadSettings;
import io.secrethub.perf.config.GeneratorOptions;
import io.secrethub.perf.config.PerfKeys;
import io.secrethub.perf.units.Figures;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the load generator, rather than the system under test, limited a run: an open-model run that fell
 * behind its schedule by more than {@code perf.generator.maxLag} of its wall time, or a JVM whose CPU use reached
 * {@code perf.generator.maxCpu} of its processors.
 */
final class GeneratorCheck {

    private GeneratorCheck() {
    }

    static GeneratorHealth assess(RunOutcome outcome, LoadSettings settings, GeneratorOptions options) {
        return assess(outcome, settings, options, Runtime.getRuntime().availableProcessors());
    }

    static GeneratorHealth assess(RunOutcome outcome, LoadSettings settings, GeneratorOptions options, int cpus) {
        double wall = outcome.wallNanos();
        double capacity = wall * cpus;
        double processCpu = outcome.processCpuNanos() < 0 || capacity <= 0 ? -1
                : 100.0 * outcome.processCpuNanos() / capacity;
        double agentCpu = outcome.agentCpuNanos() < 0 || capacity <= 0 ? -1
                : 100.0 * outcome.agentCpuNanos() / capacity;
        double behind = settings.openModel() && wall > 0 ? 100.0 * outcome.maxLagNanos() / wall : 0;
        List<String> reasons = new ArrayList<>();
        if (behind > options.maxLagPercent()) {
            reasons.add(Figures.percent(behind) + " behind schedule (limit " + Figures.percent(options.maxLagPercent())
                    + ", " + PerfKeys.GENERATOR_MAX_LAG + ")");
        }
        if (processCpu >= options.maxCpuPercent()) {
            reasons.add("CPU saturated: " + Figures.percent(processCpu) + " of " + cpus + " processors (limit "
                    + Figures.percent(options.maxCpuPercent()) + ", " + PerfKeys.GENERATOR_MAX_CPU + ")");
        }
        return new GeneratorHealth(options.runId(), options.generatorId(), processCpu, agentCpu, behind,
                String.join("; ", reasons));
    }
}
