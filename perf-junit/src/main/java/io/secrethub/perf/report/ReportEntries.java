package io.secrethub.perf.report;

import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.units.Durations;
import io.secrethub.perf.units.Figures;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The headline figures of a result as JUnit report entries, which IDEs and build tools show with the test. */
public final class ReportEntries {

    /** Key of the entry holding the absolute path of the method's JSON file; the suite listener reads it. */
    public static final String RESULT_FILE = "perf.result";

    private ReportEntries() {
    }

    /** The entries for {@code result}, whose JSON file is {@code jsonFile}. */
    public static Map<String, String> of(LoadTestResult result, Path jsonFile) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("perf.invocations", Figures.count(result.invocationCount()));
        entries.put("perf.errors", Figures.count(result.errorCount()));
        entries.put("perf.throughput", Figures.rate(result.throughput()));
        entries.put("perf.mean", Durations.format(result.latency().meanNanos()));
        entries.put("perf.p50", Durations.format(result.latency().p50Nanos()));
        entries.put("perf.p95", Durations.format(result.latency().p95Nanos()));
        entries.put("perf.p99", Durations.format(result.latency().p99Nanos()));
        entries.put("perf.max", Durations.format(result.latency().maxNanos()));
        long breaches = result.breaches().size();
        long inconclusive = result.inconclusiveSlos().size();
        String slos = breaches == 0 && inconclusive == 0 ? "all " + result.slos().size() + " met"
                : breaches == 0 ? result.slos().size() - inconclusive + " of " + result.slos().size() + " met"
                : breaches + " of " + result.slos().size() + " breached";
        entries.put("perf.slos", slos + (inconclusive == 0 ? "" : ", " + inconclusive + " inconclusive"));
        entries.put(RESULT_FILE, jsonFile.toAbsolutePath().toString());
        return entries;
    }
}
