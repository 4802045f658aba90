package io.secrethub.perf.report;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code run.json}: every load-test method of a run with its test outcome, for dashboards and tooling. */
public final class RunJson {

    private RunJson() {
    }

    /** Writes the run's file. */
    public static void write(Path file, Instant started, Instant finished, List<SuiteEntry> entries) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("format", ResultJson.FORMAT);
        run.put("startedAt", started.toString());
        run.put("finishedAt", finished.toString());
        run.put("tests", entries.size());
        run.put("failed", entries.stream().filter(entry -> !entry.passed()).count());
        run.put("results", entries.stream().map(RunJson::entry).toList());
        ResultJson.writeJson(run, file);
    }

    private static Map<String, Object> entry(SuiteEntry entry) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("status", entry.status().name());
        map.put("failure", entry.failure());
        map.put("result", ResultJson.toMap(entry.result()));
        return map;
    }
}
