package io.secrethub.perf.report;

import io.secrethub.perf.GeneratorHealth;
import io.secrethub.perf.ProfileEntry;
import io.secrethub.perf.ProfileSummary;
import io.secrethub.perf.units.Durations;
import io.secrethub.perf.units.Figures;
import io.secrethub.perf.units.Sizes;
import java.util.ArrayList;
import java.util.List;

/** The generator's health and the profile summary as text, the same in every report. */
public final class DiagnosticsText {

    private DiagnosticsText() {
    }

    /** E.g. {@code CPU 45% of the JVM's processors (agents 40%), 0.2% behind schedule; run r1, generator g1}. */
    public static String generator(GeneratorHealth generator) {
        StringBuilder text = new StringBuilder("CPU ")
                .append(generator.processCpuPercent() < 0 ? "unknown" : Figures.percent(generator.processCpuPercent()))
                .append(" of the JVM's processors");
        if (generator.agentCpuPercent() >= 0) {
            text.append(" (agents ").append(Figures.percent(generator.agentCpuPercent())).append(')');
        }
        text.append(", ").append(Figures.percent(generator.behindSchedulePercent())).append(" behind schedule");
        if (!generator.runId().isEmpty()) {
            text.append("; run ").append(generator.runId()).append(", generator ").append(generator.generatorId());
        }
        return text.toString();
    }

    /** The warning every report carries when the generator was the bottleneck, or {@code ""}. */
    public static String bottleneck(GeneratorHealth generator) {
        return generator.wasBottleneck()
                ? "the load generator was the bottleneck (" + generator.bottleneck()
                        + "): these figures measure the generator, not only the system under test"
                : "";
    }

    /** The profile's headline, e.g. {@code jfr, 1,234 execution samples, GC 3 pauses ...}, or {@code ""}. */
    public static String headline(ProfileSummary profile) {
        if (!profile.recorded()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        parts.add(profile.mode());
        if (!profile.file().isEmpty()) {
            parts.add(profile.file());
        }
        if (profile.mode().equals("jfr")) {
            parts.add(Figures.count(profile.executionSamples()) + " execution samples");
        }
        parts.add(gc(profile));
        if (profile.allocatedBytes() >= 0) {
            parts.add("agents allocated " + Sizes.format(profile.allocatedBytes()));
        }
        if (!profile.note().isEmpty()) {
            parts.add(profile.note());
        }
        return String.join(", ", parts);
    }

    /** E.g. {@code GC 3 pauses, 12 ms in all, max 6 ms}. */
    public static String gc(ProfileSummary profile) {
        if (profile.gcPauseTotalNanos() < 0) {
            return "GC pauses not measured";
        }
        return "GC " + Figures.count(profile.gcPauses()) + " pauses, " + Durations.format(profile.gcPauseTotalNanos())
                + " in all, max " + Durations.format(Math.max(0, profile.gcPauseMaxNanos()));
    }

    /** A hot method's figure: its samples and share of all. */
    public static String hotMethod(ProfileSummary profile, ProfileEntry entry) {
        double share = profile.executionSamples() == 0 ? 0 : 100.0 * entry.events() / profile.executionSamples();
        return Figures.count(entry.events()) + " samples (" + Figures.percent(share) + ")";
    }

    /** An allocation site's figure: the sampled bytes. */
    public static String allocation(ProfileEntry entry) {
        return Sizes.format(entry.weight()) + " sampled (" + Figures.count(entry.events()) + " samples)";
    }

    /** A contended monitor's figure: the time waited. */
    public static String contention(ProfileEntry entry) {
        return Durations.format(entry.weight()) + " waited (" + Figures.count(entry.events()) + " times)";
    }
}
