package io.secrethub.perf.report;

import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.baseline.BaselineComparison;
import io.secrethub.perf.baseline.BaselineEntry;
import io.secrethub.perf.baseline.BaselineFile;
import io.secrethub.perf.config.RunOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The baseline comparison a run's reports show: none when the run had no baseline or recorded one. */
final class BaselineComparisons {

    private BaselineComparisons() {
    }

    static Function<LoadTestResult, Optional<BaselineComparison>> forRun(RunOptions options) {
        if (options.baseline().isEmpty() || options.baselineWrite() || !Files.exists(options.baseline().get())) {
            return result -> Optional.empty();
        }
        Path file = options.baseline().get();
        Map<String, BaselineEntry> entries = BaselineFile.read(file);
        return result -> Optional.ofNullable(entries.get(BaselineFile.key(result.testClass(), result.method())))
                .map(entry -> BaselineComparison.of(result, entry, options.baselineTolerancePercent()));
    }
}
