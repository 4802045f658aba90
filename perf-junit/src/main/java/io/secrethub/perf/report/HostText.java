package io.secrethub.perf.report;

import io.secrethub.perf.HostConditions;
import io.secrethub.perf.units.Figures;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The host probes ({@code perf.hostProbe}) as the suite table prints them. */
final class HostText {

    private HostText() {
    }

    /**
     * The suite's section: each probed test's probes as multiples of the run's median probe, and their range, so a
     * reader sees at once whether the machine held still. The median, not the first probe: one probe taken at a bad
     * moment would skew every ratio. Empty when no test was probed.
     */
    static String section(List<SuiteEntry> entries) {
        List<SuiteEntry> probed = entries.stream().filter(entry -> entry.result().host().measured()).toList();
        if (probed.isEmpty()) {
            return "";
        }
        List<Double> cpu = figures(probed, HostConditions.Sample::hashesPerSecond);
        List<Double> disk = figures(probed, HostConditions.Sample::syncsPerSecond);
        double cpuMedian = Figures.median(cpu);
        double diskMedian = Figures.median(disk);
        TextTable table = new TextTable("test", ">CPU before", ">CPU after", ">disk syncs before",
                ">disk syncs after");
        for (int i = 0; i < probed.size(); i++) {
            table.row(probed.get(i).result().name(), times(cpu.get(2 * i) / cpuMedian),
                    times(cpu.get(2 * i + 1) / cpuMedian), times(disk.get(2 * i) / diskMedian),
                    times(disk.get(2 * i + 1) / diskMedian));
        }
        return "  Host probes (perf.hostProbe), as multiples of the run's median probe (" + Figures.number(cpuMedian)
                + " SHA-256/s, " + Figures.number(diskMedian) + " disk syncs/s): CPU " + range(cpu, cpuMedian)
                + ", disk syncs " + range(disk, diskMedian) + "\n" + table.render("  ");
    }

    /** Each entry's before and after {@code figure}, in that order. */
    private static List<Double> figures(List<SuiteEntry> probed, ToDoubleFunction<HostConditions.Sample> figure) {
        return probed.stream().map(entry -> entry.result().host())
                .flatMap(host -> List.of(figure.applyAsDouble(host.before()), figure.applyAsDouble(host.after()))
                        .stream())
                .toList();
    }

    private static String range(List<Double> values, double median) {
        return times(values.stream().mapToDouble(Double::doubleValue).min().orElseThrow() / median) + "-"
                + times(values.stream().mapToDouble(Double::doubleValue).max().orElseThrow() / median);
    }

    private static String times(double ratio) {
        return HostConditions.ratio(ratio, 1);
    }
}
