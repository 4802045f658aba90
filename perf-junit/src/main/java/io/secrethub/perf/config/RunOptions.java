package io.secrethub.perf.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The run-wide options: where reports go, how chatty the console is, and the baseline gate.
 *
 * @param resultsDir where JSON, {@code .hlog} and summary files are written
 * @param progressInterval how often a long run prints a progress line
 * @param console whether tables and progress lines are printed
 * @param baseline the baseline file, if the gate is on
 * @param baselineTolerancePercent the allowed regression, in percent
 * @param baselineWrite whether this run records the baseline instead of comparing with it
 * @param profile what is profiled over each measured part ({@code perf.profile})
 * @param hostProbe whether the host's speed is probed before and after each load test ({@code perf.hostProbe})
 * @param generator the run's and generator's ids and the generator's limits ({@code perf.generator.*})
 * @param slo the percentile SLOs' default sample minimum and what an inconclusive SLO does ({@code perf.slo.*})
 */
public record RunOptions(
        Path resultsDir,
        Duration progressInterval,
        boolean console,
        Optional<Path> baseline,
        double baselineTolerancePercent,
        boolean baselineWrite,
        ProfileMode profile,
        boolean hostProbe,
        GeneratorOptions generator,
        SloOptions slo) {

    /** The options {@code config} sets, with the documented defaults for the rest. */
    public static RunOptions from(ConfigurationSource config) {
        Path resultsDir = Path.of(config.get(PerfKeys.RESULTS_DIR).orElse(PerfKeys.DEFAULT_RESULTS_DIR));
        Duration progress = config.setting(PerfKeys.PROGRESS_INTERVAL)
                .orElse(RawSetting.ofParameter(PerfKeys.PROGRESS_INTERVAL, PerfKeys.DEFAULT_PROGRESS_INTERVAL))
                .asPositiveDuration();
        boolean console = config.setting(PerfKeys.REPORT_CONSOLE).map(RawSetting::asBoolean).orElse(true);
        Optional<Path> baseline = config.get(PerfKeys.BASELINE).map(Path::of);
        double tolerance = config.setting(PerfKeys.BASELINE_TOLERANCE)
                .map(setting -> new RawSetting(setting.origin(), setting.text().replaceFirst("%\\s*$", "")))
                .map(setting -> setting.asDouble(0))
                .orElse(PerfKeys.DEFAULT_BASELINE_TOLERANCE);
        boolean write = config.setting(PerfKeys.BASELINE_WRITE).map(RawSetting::asBoolean).orElse(false);
        ProfileMode profile = config.setting(PerfKeys.PROFILE).map(ProfileMode::parse).orElse(ProfileMode.OFF);
        boolean hostProbe = config.setting(PerfKeys.HOST_PROBE).map(RawSetting::asBoolean).orElse(false);
        return new RunOptions(resultsDir, progress, console, baseline, tolerance, write, profile, hostProbe,
                GeneratorOptions.from(config), SloOptions.from(config));
    }
}
