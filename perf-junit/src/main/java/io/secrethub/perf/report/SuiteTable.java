package io.secrethub.perf.report;

import io.secrethub.perf.LatencyStats;
import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.units.Durations;
import io.secrethub.perf.units.Figures;
import java.util.List;

/** The table printed at the end of a run: one row per load-test method, then every SLO with its outcome. */
public final class SuiteTable {

    private SuiteTable() {
    }

    /** The table for {@code entries}, several lines ending with a newline. */
    public static String render(List<SuiteEntry> entries) {
        long failed = entries.stream().filter(entry -> !entry.passed()).count();
        StringBuilder out = new StringBuilder("\n");
        out.append("Load test summary: ").append(entries.size()).append(entries.size() == 1 ? " test" : " tests")
                .append(failed == 0 ? ", all passed" : ", " + failed + " failed")
                .append(InconclusiveText.headline(entries)).append('\n').append('\n');
        TextTable results = new TextTable("test", "result", ">duration", ">ops", ">success", ">errors",
                ">throughput", ">mean", ">min", ">p50", ">p95", ">p99", ">max", "phases");
        List<String> phases = PhaseConsistency.verdicts(entries);
        for (int i = 0; i < entries.size(); i++) {
            SuiteEntry entry = entries.get(i);
            LatencyStats latency = entry.result().latency();
            boolean none = latency.count() == 0;
            results.row(entry.result().name(), entry.status().name(), Durations.format(entry.result().wallTime()),
                    Figures.count(entry.result().invocationCount()), Figures.percent(entry.successRatePercent()),
                    Figures.count(entry.result().errorCount()), Figures.rate(entry.result().throughput()),
                    none ? "-" : Durations.format(latency.meanNanos()),
                    none ? "-" : Durations.format(latency.minNanos()),
                    none ? "-" : Durations.format(latency.p50Nanos()),
                    none ? "-" : Durations.format(latency.p95Nanos()),
                    none ? "-" : Durations.format(latency.p99Nanos()),
                    none ? "-" : Durations.format(latency.maxNanos()), phases.get(i));
        }
        out.append(results.render("  "));
        String host = HostText.section(entries);
        if (!host.isEmpty()) {
            out.append('\n').append(host);
        }

        TextTable slos = new TextTable("test", "slo", ">target", ">measured", "result");
        for (SuiteEntry entry : entries) {
            String name = entry.result().name();
            for (SloOutcome slo : entry.result().slos()) {
                String scope = slo.operation().isEmpty() ? "" : slo.operation() + ": ";
                slos.row(name, scope + slo.metric() + " (" + slo.annotation() + ")", slo.comparator().symbol() + " "
                        + slo.target(), slo.measured(), slo.verdict().name());
                name = "";
            }
        }
        out.append('\n').append(slos.render("  "));
        for (SuiteEntry entry : entries) {
            if (entry.result().generator().wasBottleneck()) {
                out.append("  WARNING: ").append(entry.result().name()).append(": ")
                        .append(DiagnosticsText.bottleneck(entry.result().generator())).append('\n');
            }
        }
        return out.toString();
    }
}
