package io.secrethub.perf;

import java.util.List;
import java.util.Objects;

/**
 * What {@code perf.profile} recorded over the measured part of one load test (never warm-up or set-up).
 *
 * <ul>
 *   <li>{@code jfr}: a JDK Flight Recorder file of the measured part, {@code <Class>.<method>.jfr} beside the
 *       JSON result, summarized here: the hot methods (execution samples of the agents' threads, by their top
 *       frame), the allocation sites ({@code jdk.ObjectAllocationSample}), lock contention
 *       ({@code jdk.JavaMonitorEnter}) and the GC pauses ({@code jdk.GarbageCollection});</li>
 *   <li>{@code gc}: only the cheap counters the JVM keeps anyway: GC pauses and the bytes the agents
 *       allocated;</li>
 *   <li>{@code off} (the default): nothing, see {@link #OFF}.</li>
 * </ul>
 *
 * @param mode {@code off}, {@code gc} or {@code jfr}
 * @param file the {@code .jfr} file, or {@code ""} when none was written
 * @param executionSamples the execution samples the hot methods were counted from
 * @param hotMethods the methods most often on top of the stack, at most 10, most frequent first
 * @param allocationSites where the most bytes were allocated, at most 10, most first
 * @param lockContention the monitors waited for longest, at most 10, longest first
 * @param gcPauses how many stop-the-world GC pauses there were
 * @param gcPauseTotalNanos their sum; negative when not measured
 * @param gcPauseMaxNanos the longest; negative when not measured
 * @param allocatedBytes the heap bytes the agents allocated; negative when not measured
 * @param note why something is missing (JFR unavailable, a virtual thread kept no count), or {@code ""}
 */
public record ProfileSummary(
        String mode,
        String file,
        long executionSamples,
        List<ProfileEntry> hotMethods,
        List<ProfileEntry> allocationSites,
        List<ProfileEntry> lockContention,
        long gcPauses,
        long gcPauseTotalNanos,
        long gcPauseMaxNanos,
        long allocatedBytes,
        String note) {

    /** No profile was asked for. */
    public static final ProfileSummary OFF =
            new ProfileSummary("off", "", 0, List.of(), List.of(), List.of(), 0, -1, -1, -1, "");

    /** Copies the lists, so the record stays immutable. */
    public ProfileSummary {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(note, "note");
        hotMethods = List.copyOf(hotMethods);
        allocationSites = List.copyOf(allocationSites);
        lockContention = List.copyOf(lockContention);
    }

    /** Whether anything was profiled. */
    public boolean recorded() {
        return !"off".equals(mode);
    }
}
