package io.secrethub.perf.report;

import io.secrethub.perf.IntervalStats;
import io.secrethub.perf.LatencyStats;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.OperationStats;
import io.secrethub.perf.PercentileValue;
import io.secrethub.perf.ProfileEntry;
import io.secrethub.perf.ProfileSummary;
import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.Timeline;
import io.secrethub.perf.baseline.BaselineComparison;
import io.secrethub.perf.units.Durations;
import io.secrethub.perf.units.Figures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.jr.ob.JSON;

/**
 * {@code index.html}: one self-contained page per run that opens offline. Tables (figures, SLOs, baseline,
 * settings, machine) are rendered here, so they read without JavaScript; the charts (throughput, p50/p95/p99 and
 * errors over time, the percentile distribution on a log scale) are drawn in the browser by uPlot, which is
 * inlined with its licence, from the figures embedded as JSON.
 */
public final class HtmlReport {

    /** The charts drawn for the method and for each named operation. */
    static final List<String> CHART_KINDS = List.of("throughput", "latency", "distribution", "errors");

    private static final String RESOURCES = "/io/secrethub/perf/report/";

    private HtmlReport() {
    }

    /**
     * The run's page.
     *
     * @param baseline each result's comparison with the baseline, when the run had one
     */
    public static String render(List<SuiteEntry> entries, Instant started, Instant finished, MachineInfo machine,
            Function<LoadTestResult, Optional<BaselineComparison>> baseline) {
        long failed = entries.stream().filter(entry -> !entry.passed()).count();
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>Load test results</title>\n")
                .append("<style>\n").append(resource("uplot/uPlot.min.css")).append("\n")
                .append(resource("html/report.css")).append("</style>\n</head>\n<body>\n")
                .append("<h1>Load test results</h1>\n<p class=\"summary\">").append(entries.size())
                .append(entries.size() == 1 ? " load test, " : " load tests, ")
                .append(failed == 0 ? "all passed" : failed + " failed")
                .append(Html.text(InconclusiveText.headline(entries))).append(". Started ")
                .append(Html.text(started.toString())).append(", finished ").append(Html.text(finished.toString()))
                .append(".</p>\n");
        machine(html, machine);
        toc(html, entries);
        List<String> phases = PhaseConsistency.verdicts(entries);
        for (int i = 0; i < entries.size(); i++) {
            test(html, i, entries.get(i), phases.get(i), baseline.apply(entries.get(i).result()));
        }
        html.append("<script type=\"application/json\" id=\"perf-data\">")
                .append(Html.scriptJson(chartJson(entries))).append("</script>\n")
                .append("<!-- uPlot ").append("(https://github.com/leeoniya/uPlot), MIT licence:\n")
                .append(resource("uplot/LICENSE").replace("--", "- -")).append("\n-->\n")
                .append("<script>\n").append(resource("uplot/uPlot.iife.min.js")).append("\n</script>\n")
                .append("<script>\n").append(resource("html/report.js")).append("</script>\n")
                .append("</body>\n</html>\n");
        return html.toString();
    }

    private static void machine(StringBuilder html, MachineInfo machine) {
        html.append("<table class=\"machine\"><tr><th colspan=\"2\">Machine</th></tr>\n");
        row(html, "host", machine.host());
        row(html, "OS", machine.os() + " (" + machine.arch() + ")");
        row(html, "CPUs", Integer.toString(machine.cpus()));
        row(html, "Java", machine.java());
        row(html, "max heap", Figures.count(machine.maxHeapBytes() / (1024 * 1024)) + " MB");
        html.append("</table>\n");
    }

    private static void row(StringBuilder html, String name, String value) {
        html.append("<tr><td>").append(Html.text(name)).append("</td><td>").append(Html.text(value))
                .append("</td></tr>\n");
    }

    private static void toc(StringBuilder html, List<SuiteEntry> entries) {
        html.append("<p class=\"toc\">");
        for (int i = 0; i < entries.size(); i++) {
            SuiteEntry entry = entries.get(i);
            html.append("<a href=\"#test-").append(i).append("\">").append(Html.text(entry.result().name()))
                    .append(" <span class=\"status ").append(entry.status().name()).append("\">")
                    .append(entry.status().name()).append("</span></a>");
        }
        html.append("</p>\n");
    }

    private static void test(StringBuilder html, int index, SuiteEntry entry, String phases,
            Optional<BaselineComparison> baseline) {
        LoadTestResult result = entry.result();
        html.append("<section class=\"test\" id=\"test-").append(index).append("\">\n<h2>")
                .append(Html.text(result.name())).append(" <span class=\"status ").append(entry.status().name())
                .append("\">").append(entry.status().name()).append("</span></h2>\n")
                .append("<p class=\"settings\">").append(Html.text(SettingsText.describe(result.settings())))
                .append("; measured for ").append(Html.text(Durations.format(result.wallTime())))
                .append(" from ").append(Html.text(result.startedAt().toString())).append("</p>\n");
        if (!entry.failure().isEmpty()) {
            html.append("<p class=\"failure\">").append(Html.text(entry.failure())).append("</p>\n");
        }
        if (!phases.equals("-")) {
            html.append("<p class=\"phases\">p95 against the fastest load test of its class: ")
                    .append(Html.text(phases)).append(" (flagged above ")
                    .append(Figures.number(PhaseConsistency.MAX_RATIO)).append("x)</p>\n");
        }
        if (result.generator().wasBottleneck()) {
            html.append("<p class=\"failure generator\">")
                    .append(Html.text(DiagnosticsText.bottleneck(result.generator()))).append("</p>\n");
        }
        figures(html, result);
        if (!result.generator().runId().isEmpty()) {
            html.append("<p class=\"generator\">Generator: ")
                    .append(Html.text(DiagnosticsText.generator(result.generator()))).append("</p>\n");
        }
        if (result.warmup().untilSteady()) {
            html.append(result.warmup().steady() ? "<p class=\"warmup\">" : "<p class=\"failure warmup\">")
                    .append("Warm-up: ").append(Html.text(result.warmup().describe())).append("</p>\n");
        }
        if (result.host().measured()) {
            html.append("<p class=\"host\">Host (perf.hostProbe): ").append(Html.text(result.host().describe()))
                    .append("</p>\n");
        }
        slos(html, result.slos());
        profile(html, result.profile());
        baseline.ifPresent(comparison -> baseline(html, comparison));
        List<Timeline> timelines = result.timelines();
        for (int t = 0; t < timelines.size(); t++) {
            String operation = timelines.get(t).operation();
            html.append("<h3>").append(operation.isEmpty() ? "Whole method" : "Operation " + Html.text(operation))
                    .append("</h3>\n<p class=\"trend\">Trend: ")
                    .append(Html.text(TrendText.describe(timelines.get(t).trend())))
                    .append("</p>\n<div class=\"charts\">");
            for (String kind : CHART_KINDS) {
                html.append("<div class=\"chart\" data-test=\"").append(index).append("\" data-timeline=\"")
                        .append(t).append("\" data-kind=\"").append(kind).append("\"></div>");
            }
            html.append("</div>\n");
        }
        html.append("</section>\n");
    }

    private static void figures(StringBuilder html, LoadTestResult result) {
        html.append("<table class=\"figures\"><tr><th>scope</th><th>ok</th><th>failed</th><th>ops/s</th>")
                .append("<th>mean</th><th>p50</th><th>p95</th><th>p99</th><th>p99.9</th><th>max</th></tr>\n");
        figureRow(html, "whole method", result.total());
        for (OperationStats operation : result.operations()) {
            figureRow(html, operation.name(), operation);
        }
        html.append("</table>\n");
    }

    private static void figureRow(StringBuilder html, String scope, OperationStats stats) {
        LatencyStats latency = stats.latency();
        html.append("<tr><td>").append(Html.text(scope)).append("</td><td>").append(Figures.count(stats.successes()))
                .append("</td><td>").append(Figures.count(stats.failures())).append("</td><td>")
                .append(Html.text(Figures.rate(stats.throughput()))).append("</td>");
        for (double nanos : new double[] {latency.meanNanos(), latency.p50Nanos(), latency.p95Nanos(),
                latency.p99Nanos(), latency.p999Nanos(), latency.maxNanos()}) {
            html.append("<td>").append(Html.text(Durations.format(nanos))).append("</td>");
        }
        html.append("</tr>\n");
    }

    private static void slos(StringBuilder html, List<SloOutcome> slos) {
        html.append("<table class=\"slos\"><tr><th>SLO</th><th>annotation</th><th>measured</th><th>result</th></tr>\n");
        for (SloOutcome slo : slos) {
            String verdict = slo.verdict().name();
            html.append("<tr><td>").append(Html.text(slo.requirement())).append("</td><td>")
                    .append(Html.text(slo.annotation())).append("</td><td>").append(Html.text(slo.measured()))
                    .append("</td><td class=\"").append(verdict).append("\">").append(verdict).append("</td></tr>\n");
        }
        html.append("</table>\n");
        List<SloOutcome> inconclusive = slos.stream().filter(SloOutcome::inconclusive).toList();
        if (!inconclusive.isEmpty()) {
            html.append("<p class=\"inconclusive\">").append(Html.text(InconclusiveText.EXPLANATION)).append(": ");
            for (int i = 0; i < inconclusive.size(); i++) {
                html.append(i == 0 ? "" : "; ").append(Html.text(inconclusive.get(i).breach()));
            }
            html.append(".</p>\n");
        }
    }

    private static void profile(StringBuilder html, ProfileSummary profile) {
        if (!profile.recorded()) {
            return;
        }
        html.append("<p class=\"profile\">Profile: ").append(Html.text(DiagnosticsText.headline(profile)))
                .append("</p>\n");
        profileTable(html, "hot method (top frame)", "samples", profile.hotMethods(),
                entry -> DiagnosticsText.hotMethod(profile, entry));
        profileTable(html, "allocation site", "allocated", profile.allocationSites(), DiagnosticsText::allocation);
        profileTable(html, "contended monitor", "waited", profile.lockContention(), DiagnosticsText::contention);
    }

    private static void profileTable(StringBuilder html, String what, String figure, List<ProfileEntry> entries,
            Function<ProfileEntry, String> format) {
        if (entries.isEmpty()) {
            return;
        }
        html.append("<table class=\"profile\"><tr><th>").append(Html.text(what)).append("</th><th>")
                .append(Html.text(figure)).append("</th></tr>\n");
        for (ProfileEntry entry : entries) {
            html.append("<tr><td>").append(Html.text(entry.name())).append("</td><td>")
                    .append(Html.text(format.apply(entry))).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void baseline(StringBuilder html, BaselineComparison comparison) {
        html.append("<table class=\"baseline\"><tr><th colspan=\"5\">Baseline recorded ")
                .append(Html.text(comparison.recordedAt())).append(", tolerance ")
                .append(Html.text(Figures.percent(comparison.tolerancePercent()))).append("</th></tr>\n")
                .append("<tr><th>metric</th><th>baseline</th><th>this run</th><th>change</th><th>result</th></tr>\n");
        for (BaselineComparison.Row row : comparison.rows()) {
            String verdict = row.regressed() ? "FAIL" : "PASS";
            html.append("<tr><td>").append(Html.text(row.metric())).append("</td><td>")
                    .append(Html.text(row.baseline())).append("</td><td>").append(Html.text(row.current()))
                    .append("</td><td>").append(Html.text(row.changeText())).append("</td><td class=\"")
                    .append(verdict).append("\">").append(verdict).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    /** The figures the charts draw, as columns (uPlot's data layout), latencies in milliseconds. */
    static String chartJson(List<SuiteEntry> entries) {
        List<Object> tests = new ArrayList<>();
        for (SuiteEntry entry : entries) {
            List<Object> timelines = new ArrayList<>();
            for (Timeline timeline : entry.result().timelines()) {
                Map<String, Object> columns = new LinkedHashMap<>();
                List<IntervalStats> intervals = timeline.intervals();
                columns.put("operation", timeline.operation());
                columns.put("t", intervals.stream().map(IntervalStats::endSeconds).toList());
                columns.put("thr", intervals.stream().map(IntervalStats::throughput).toList());
                columns.put("p50", intervals.stream().map(i -> millis(i.successes(), i.p50Nanos())).toList());
                columns.put("p95", intervals.stream().map(i -> millis(i.successes(), i.p95Nanos())).toList());
                columns.put("p99", intervals.stream().map(i -> millis(i.successes(), i.p99Nanos())).toList());
                columns.put("err", intervals.stream().map(IntervalStats::failures).toList());
                columns.put("dp", timeline.distribution().stream().map(PercentileValue::percentile).toList());
                columns.put("dv", timeline.distribution().stream().map(p -> p.valueNanos() / 1e6).toList());
                timelines.add(columns);
            }
            tests.add(Map.of("name", entry.result().name(), "timelines", timelines));
        }
        try {
            return JSON.std.asString(Map.of("tests", tests));
        } catch (tools.jackson.core.JacksonException e) {
            throw new IllegalStateException("Cannot write the report's chart data", e);
        }
    }

    /** An interval without successes has no latency: a gap in the line, not a drop to zero. */
    private static Double millis(long successes, long nanos) {
        return successes == 0 ? null : nanos / 1e6;
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("perf-junit's jar lacks " + RESOURCES + name
                        + " (the build copies uPlot into it; see perf-junit/pom.xml)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + name, e);
        }
    }
}
