package io.secrethub.perf.report;

import io.secrethub.perf.ErrorSummary;
import io.secrethub.perf.LatencyStats;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.OperationStats;
import io.secrethub.perf.ProfileEntry;
import io.secrethub.perf.ProfileSummary;
import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.Timeline;
import io.secrethub.perf.units.Durations;
import io.secrethub.perf.units.Figures;
import java.util.List;

/** The table printed after each load-test method. */
public final class ConsoleReport {

    /** A message longer than this is cut: the line is a summary, the JSON file has all of it. */
    private static final int MESSAGE_CHARS = 160;

    private ConsoleReport() {
    }

    /** The report of {@code result}, several lines ending with a newline. */
    public static String render(LoadTestResult result) {
        StringBuilder out = new StringBuilder();
        out.append('\n').append("== ").append(result.name()).append(" (")
                .append(SettingsText.describe(result.settings()))
                .append(")\n");
        out.append("   ").append(Figures.count(result.invocationCount())).append(" invocations in ")
                .append(Durations.format(result.wallTime())).append(": ").append(Figures.rate(result.throughput()))
                .append(", ").append(Figures.count(result.errorCount())).append(" errors (")
                .append(Figures.percent(result.errorRatePercent())).append(")\n\n");

        TextTable table = new TextTable("scope", ">ops", ">errors", ">throughput", ">mean", ">min", ">p50", ">p90",
                ">p95", ">p99", ">p99.9", ">max");
        String methodScope = result.settings().openModel() ? "latency (from intended start)" : "method";
        row(table, methodScope, result.total());
        if (result.settings().openModel()) {
            latencyRow(table, "service time (from actual start)", "", "", "", result.serviceTime());
        }
        for (OperationStats operation : result.operations()) {
            row(table, "op " + operation.name(), operation);
        }
        out.append(table.render("   "));
        if (result.settings().openModel()) {
            out.append("   max schedule lag: ").append(Durations.format(result.maxScheduleLag())).append('\n');
        }
        for (Timeline timeline : result.timelines()) {
            String scope = timeline.operation().isEmpty() ? "method" : "op " + timeline.operation();
            out.append("   trend, ").append(scope).append(": ").append(TrendText.describe(timeline.trend()))
                    .append('\n');
        }
        if (!result.generator().runId().isEmpty()) {
            out.append("   generator: ").append(DiagnosticsText.generator(result.generator())).append('\n');
        }
        if (result.generator().wasBottleneck()) {
            out.append("   WARNING: ").append(DiagnosticsText.bottleneck(result.generator())).append('\n');
        }
        if (result.warmup().untilSteady()) {
            out.append(result.warmup().steady() ? "   warm-up: " : "   WARNING: warm-up ")
                    .append(result.warmup().describe()).append('\n');
        }
        if (result.host().measured()) {
            out.append("   host: ").append(result.host().describe()).append('\n');
        }
        appendProfile(out, result.profile());
        appendSlos(out, result.slos());
        appendErrors(out, "", result.errors());
        for (OperationStats operation : result.operations()) {
            appendErrors(out, "op " + operation.name() + ": ", operation.errors());
        }
        return out.toString();
    }

    private static void row(TextTable table, String scope, OperationStats stats) {
        latencyRow(table, scope, Figures.count(stats.invocations()), Figures.count(stats.failures()),
                Figures.rate(stats.throughput()), stats.latency());
    }

    private static void latencyRow(TextTable table, String scope, String ops, String errors, String throughput,
            LatencyStats latency) {
        boolean none = latency.count() == 0;
        table.row(scope, ops, errors, throughput,
                none ? "-" : Durations.format(latency.meanNanos()),
                none ? "-" : Durations.format(latency.minNanos()),
                none ? "-" : Durations.format(latency.p50Nanos()),
                none ? "-" : Durations.format(latency.p90Nanos()),
                none ? "-" : Durations.format(latency.p95Nanos()),
                none ? "-" : Durations.format(latency.p99Nanos()),
                none ? "-" : Durations.format(latency.p999Nanos()),
                none ? "-" : Durations.format(latency.maxNanos()));
    }

    private static void appendProfile(StringBuilder out, ProfileSummary profile) {
        if (!profile.recorded()) {
            return;
        }
        out.append("   profile: ").append(DiagnosticsText.headline(profile)).append('\n');
        if (!profile.hotMethods().isEmpty()) {
            TextTable table = new TextTable("hot method (top frame)", ">samples");
            for (ProfileEntry entry : profile.hotMethods()) {
                table.row(entry.name(), DiagnosticsText.hotMethod(profile, entry));
            }
            out.append(table.render("   "));
        }
        if (!profile.allocationSites().isEmpty()) {
            TextTable table = new TextTable("allocation site", ">allocated");
            for (ProfileEntry entry : profile.allocationSites()) {
                table.row(entry.name(), DiagnosticsText.allocation(entry));
            }
            out.append(table.render("   "));
        }
        if (!profile.lockContention().isEmpty()) {
            TextTable table = new TextTable("contended monitor", ">waited");
            for (ProfileEntry entry : profile.lockContention()) {
                table.row(entry.name(), DiagnosticsText.contention(entry));
            }
            out.append(table.render("   "));
        }
    }

    private static void appendSlos(StringBuilder out, List<SloOutcome> slos) {
        if (slos.isEmpty()) {
            return;
        }
        out.append("\n   SLOs\n");
        TextTable table = new TextTable("result", "requirement", ">measured", "annotation");
        for (SloOutcome slo : slos) {
            table.row(slo.verdict().name(), slo.requirement(), slo.measured(), slo.annotation());
        }
        out.append(table.render("   "));
        if (slos.stream().anyMatch(SloOutcome::inconclusive)) {
            out.append("   ").append(InconclusiveText.EXPLANATION).append('\n');
        }
    }

    /**
     * One line per exception type: its count, the first one's message and the frame that threw it. A run that
     * expects failures (a fault-injection test) stays readable; the whole stack trace is in the JSON file, and a
     * failed test carries the first exception of each type, which the IDE and Surefire print.
     */
    private static void appendErrors(StringBuilder out, String scope, List<ErrorSummary> errors) {
        if (errors.isEmpty()) {
            return;
        }
        out.append('\n');
        for (ErrorSummary error : errors) {
            out.append("   ").append(scope).append(error.type()).append(" x").append(Figures.count(error.count()));
            String message = firstLine(error.firstMessage());
            if (!message.isEmpty()) {
                out.append(": ").append(message);
            }
            error.firstStackTrace().lines().map(String::strip).filter(line -> line.startsWith("at ")).findFirst()
                    .ifPresent(frame -> out.append(" (").append(frame).append(')'));
            out.append('\n');
        }
    }

    private static String firstLine(String message) {
        String line = message.lines().findFirst().orElse("").strip();
        return line.length() <= MESSAGE_CHARS ? line : line.substring(0, MESSAGE_CHARS - 1) + "…";
    }
}
