package io.secrethub.perf.baseline;

import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.config.PerfKeys;
import io.secrethub.perf.config.RunOptions;
import io.secrethub.perf.report.SettingsText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Applies the baseline options of a run to one result: record it, or compare it. */
public final class BaselineCheck {

    private BaselineCheck() {
    }

    /**
     * Records {@code result} into the baseline ({@code perf.baseline.write=true}) or compares it with its entry.
     *
     * @param notes receives one-line remarks for the console: what was recorded, or why nothing was compared
     * @return the failures, one per regressed figure; empty when there is nothing to complain about
     */
    public static List<String> apply(LoadTestResult result, RunOptions options, Consumer<String> notes) {
        if (options.baseline().isEmpty()) {
            return List.of();
        }
        Path file = options.baseline().get();
        String key = BaselineFile.key(result.testClass(), result.method());
        if (options.baselineWrite()) {
            BaselineFile.record(file, key, BaselineEntry.of(result, SettingsText.describe(result.settings())));
            notes.accept("[perf] baseline: recorded " + result.name() + " in " + file);
            return List.of();
        }
        if (!Files.exists(file)) {
            return List.of("baseline file " + file + " (" + PerfKeys.BASELINE + ") does not exist; record one with -D"
                    + PerfKeys.BASELINE_WRITE + "=true");
        }
        Map<String, BaselineEntry> entries = BaselineFile.read(file);
        BaselineEntry entry = entries.get(key);
        if (entry == null) {
            notes.accept("[perf] baseline: " + result.name() + " is not in " + file + " yet; nothing to compare");
            return List.of();
        }
        List<String> failures = BaselineGate.compare(result, entry, options.baselineTolerancePercent()).stream()
                .map(regression -> "regression: " + regression.describe()).toList();
        if (failures.isEmpty()) {
            notes.accept("[perf] baseline: " + result.name() + " is within "
                    + io.secrethub.perf.units.Figures.percent(options.baselineTolerancePercent()) + " of " + file);
        }
        return failures;
    }
}
