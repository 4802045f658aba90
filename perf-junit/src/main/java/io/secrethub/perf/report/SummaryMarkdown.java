package io.secrethub.perf.report;

import io.secrethub.perf.LatencyStats;
import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.units.Durations;
import io.secrethub.perf.units.Figures;
import java.util.List;

/** {@code summary.md}: the suite table as Markdown, for pull-request comments and CI job summaries. */
public final class SummaryMarkdown {

    private static final String PASS_BADGE = "✅ PASS";
    private static final String FAIL_BADGE = "❌ FAIL";
    private static final String INCONCLUSIVE_BADGE = "❔ INCONCLUSIVE";

    private SummaryMarkdown() {
    }

    /** The Markdown for {@code entries}. */
    public static String render(List<SuiteEntry> entries) {
        long failed = entries.stream().filter(entry -> !entry.passed()).count();
        StringBuilder md = new StringBuilder("## Load test results\n\n");
        md.append(entries.size()).append(entries.size() == 1 ? " load test" : " load tests")
                .append(failed == 0 ? ", all passed" : ", **" + failed + " failed**")
                .append(InconclusiveText.headline(entries)).append(".\n\n");
        md.append("| Test | Result | Duration | Ops | Success | Errors | Throughput | Mean | Min | p50 | p95 | p99 | "
                + "Max |\n");
        md.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (SuiteEntry entry : entries) {
            LatencyStats latency = entry.result().latency();
            md.append("| ").append(cell(entry.result().name()))
                    .append(" | ").append(badge(entry.status()))
                    .append(" | ").append(Durations.format(entry.result().wallTime()))
                    .append(" | ").append(Figures.count(entry.result().invocationCount()))
                    .append(" | ").append(Figures.percent(entry.successRatePercent()))
                    .append(" | ").append(Figures.count(entry.result().errorCount()))
                    .append(" | ").append(Figures.rate(entry.result().throughput()))
                    .append(" | ").append(latency(latency, latency.meanNanos()))
                    .append(" | ").append(latency(latency, latency.minNanos()))
                    .append(" | ").append(latency(latency, latency.p50Nanos()))
                    .append(" | ").append(latency(latency, latency.p95Nanos()))
                    .append(" | ").append(latency(latency, latency.p99Nanos()))
                    .append(" | ").append(latency(latency, latency.maxNanos()))
                    .append(" |\n");
        }
        md.append("\n### SLOs\n\n| Test | SLO | Target | Measured | Result |\n|---|---|--:|--:|---|\n");
        for (SuiteEntry entry : entries) {
            for (SloOutcome slo : entry.result().slos()) {
                String scope = slo.operation().isEmpty() ? "" : slo.operation() + ": ";
                md.append("| ").append(cell(entry.result().name()))
                        .append(" | ").append(cell(scope + slo.metric() + " (" + slo.annotation() + ")"))
                        .append(" | ").append(cell(slo.comparator().symbol() + " " + slo.target()))
                        .append(" | ").append(cell(slo.measured()))
                        .append(" | ").append(badge(slo.verdict()))
                        .append(" |\n");
            }
        }
        List<String> inconclusive = InconclusiveText.reasons(entries);
        if (!inconclusive.isEmpty()) {
            md.append("\n").append(InconclusiveText.EXPLANATION).append(":\n\n");
            inconclusive.forEach(reason -> md.append("- ").append(cell(reason)).append('\n'));
        }
        List<SuiteEntry> bottlenecks = entries.stream()
                .filter(entry -> entry.result().generator().wasBottleneck()).toList();
        if (!bottlenecks.isEmpty()) {
            md.append("\n### Load generator\n\n");
            for (SuiteEntry entry : bottlenecks) {
                md.append("- ⚠️ **").append(cell(entry.result().name())).append("**: ")
                        .append(cell(DiagnosticsText.bottleneck(entry.result().generator()))).append('\n');
            }
        }
        List<SuiteEntry> failures = entries.stream().filter(entry -> !entry.failure().isEmpty()).toList();
        if (!failures.isEmpty()) {
            md.append("\n### Failures\n\n");
            for (SuiteEntry entry : failures) {
                md.append("- **").append(cell(entry.result().name())).append("**: ")
                        .append(cell(entry.failure().lines().findFirst().orElse(""))).append('\n');
            }
        }
        return md.toString();
    }

    private static String latency(LatencyStats stats, double nanos) {
        return stats.count() == 0 ? "-" : Durations.format(nanos);
    }

    private static String badge(SloOutcome.Verdict verdict) {
        return switch (verdict) {
            case PASS -> PASS_BADGE;
            case FAIL -> FAIL_BADGE;
            case INCONCLUSIVE -> INCONCLUSIVE_BADGE;
        };
    }

    private static String badge(SuiteEntry.Status status) {
        return switch (status) {
            case PASS -> PASS_BADGE;
            case FAIL -> FAIL_BADGE;
            case ABORTED -> "⚠️ " + status.name();
        };
    }

    /** Keeps a value from breaking the table: pipes are escaped, line breaks flattened. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }
}
