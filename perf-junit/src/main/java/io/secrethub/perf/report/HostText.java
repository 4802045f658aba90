package io.secrethub.perf.report;

import io.secrethub.perf.HostConditions;
import io.secrethub.perf.units.Figures;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.DoubleStream;

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
        List<HostConditions> probes = entries.stream().map(entry -> entry.result().host())
                .filter(HostConditions::measured).toList();
        if (probes.isEmpty()) {
            return "";
        }
        double cpu = median(probes, HostConditions.Sample::hashesPerSecond);
        double disk = median(probes, HostConditions.Sample::syncsPerSecond);
        TextTable table = new TextTable("test", ">CPU before", ">CPU after", ">disk syncs before",
                ">disk syncs after");
        List<Double> cpuRatios = new ArrayList<>();
        List<Double> diskRatios = new ArrayList<>();
        for (SuiteEntry entry : entries) {
            HostConditions host = entry.result().host();
            if (!host.measured()) {
                continue;
            }
            double[] row = {host.before().hashesPerSecond() / cpu, host.after().hashesPerSecond() / cpu,
                host.before().syncsPerSecond() / disk, host.after().syncsPerSecond() / disk};
            cpuRatios.add(row[0]);
            cpuRatios.add(row[1]);
            diskRatios.add(row[2]);
            diskRatios.add(row[3]);
            table.row(entry.result().name(), times(row[0]), times(row[1]), times(row[2]), times(row[3]));
        }
        return "  Host probes (perf.hostProbe), as multiples of the run's median probe (" + Figures.number(cpu)
                + " SHA-256/s, " + Figures.number(disk) + " disk syncs/s): CPU " + range(cpuRatios)
                + ", disk syncs " + range(diskRatios) + "\n" + table.render("  ");
    }

    /** The median of every before and after figure of {@code probes}. */
    static double median(List<HostConditions> probes, ToDoubleFunction<HostConditions.Sample> figure) {
        double[] values = probes.stream()
                .flatMapToDouble(host -> DoubleStream.of(figure.applyAsDouble(host.before()),
                        figure.applyAsDouble(host.after())))
                .sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static String range(List<Double> ratios) {
        return times(ratios.stream().mapToDouble(Double::doubleValue).min().orElseThrow()) + "-"
                + times(ratios.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
    }

    private static String times(double ratio) {
        return HostConditions.ratio(ratio, 1);
    }
}
