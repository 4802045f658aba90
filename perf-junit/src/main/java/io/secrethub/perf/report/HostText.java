package io.secrethub.perf.report;

import io.secrethub.perf.HostConditions;
import io.secrethub.perf.units.Figures;
import java.util.List;

/** The host probes ({@code perf.hostProbe}) as the console and the HTML report print them. */
final class HostText {

    private HostText() {
    }

    /** The reference probe's figures: {@code 612,345 SHA-256/s, 8,402 disk syncs/s}. */
    static String reference(HostConditions host) {
        return Figures.number(host.reference().hashesPerSecond()) + " SHA-256/s, "
                + Figures.number(host.reference().syncsPerSecond()) + " disk syncs/s";
    }

    /**
     * The suite's section: each probed test's before and after ratios, and the range over the run, so a reader sees
     * at once whether the machine held still. Empty when no test was probed.
     */
    static String section(List<SuiteEntry> entries) {
        List<SuiteEntry> probed = entries.stream().filter(entry -> entry.result().host().measured()).toList();
        if (probed.isEmpty()) {
            return "";
        }
        HostConditions first = probed.get(0).result().host();
        TextTable table = new TextTable("test", ">CPU before", ">CPU after", ">disk syncs before",
                ">disk syncs after");
        double cpuLow = Double.MAX_VALUE;
        double cpuHigh = 0;
        double syncLow = Double.MAX_VALUE;
        double syncHigh = 0;
        for (SuiteEntry entry : probed) {
            HostConditions host = entry.result().host();
            double[] cpu = {ratio(host.before().hashesPerSecond(), host.reference().hashesPerSecond()),
                ratio(host.after().hashesPerSecond(), host.reference().hashesPerSecond())};
            double[] sync = {ratio(host.before().syncsPerSecond(), host.reference().syncsPerSecond()),
                ratio(host.after().syncsPerSecond(), host.reference().syncsPerSecond())};
            for (int i = 0; i < 2; i++) {
                cpuLow = Math.min(cpuLow, cpu[i]);
                cpuHigh = Math.max(cpuHigh, cpu[i]);
                syncLow = Math.min(syncLow, sync[i]);
                syncHigh = Math.max(syncHigh, sync[i]);
            }
            table.row(entry.result().name(), times(cpu[0]), times(cpu[1]), times(sync[0]), times(sync[1]));
        }
        return "  Host probes (perf.hostProbe), as multiples of the run's first (" + reference(first) + "): CPU "
                + times(cpuLow) + "-" + times(cpuHigh) + ", disk syncs " + times(syncLow) + "-" + times(syncHigh)
                + "\n" + table.render("  ");
    }

    private static double ratio(double value, double reference) {
        return value / reference;
    }

    private static String times(double ratio) {
        return HostConditions.ratio(ratio, 1);
    }
}
