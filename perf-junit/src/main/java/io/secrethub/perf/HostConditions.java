package io.secrethub.perf;

import io.secrethub.perf.units.Figures;
import java.util.Locale;
import java.util.Objects;

/**
 * How fast the host itself was around one load test ({@code perf.hostProbe}): the same two fixed probes measured
 * before the test's set-up and after its measured part, so a figure that moved because the machine moved says so.
 * A shared or virtual machine's CPU and disk can change speed by a third within a minute with nothing of the
 * test's running; without a probe, that reads as a regression or an improvement of the code. The suite table puts
 * every test's probes on one scale: multiples of the run's median probe.
 *
 * @param before the probe just before the test's {@code @BeforeAgent} methods and warm-up
 * @param after the probe just after the measured part ended
 */
public record HostConditions(Sample before, Sample after) {

    /** For a run without {@code perf.hostProbe}, a merged result, or a file written before host probes existed. */
    public static final HostConditions NONE = new HostConditions(Sample.NONE, Sample.NONE);

    /** Checks that both samples are there. */
    public HostConditions {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
    }

    /** Whether the probes ran. */
    public boolean measured() {
        return before.measured() && after.measured();
    }

    /**
     * Before, after, and after as a multiple of before:
     * {@code CPU 1,330,010 -> 1,420,571 SHA-256/s (1.07x), disk 10,995 -> 6,700 syncs/s (0.61x)}.
     */
    public String describe() {
        if (!measured()) {
            return "not probed";
        }
        return "CPU " + Figures.number(before.hashesPerSecond()) + " -> " + Figures.number(after.hashesPerSecond())
                + " SHA-256/s (" + ratio(after.hashesPerSecond(), before.hashesPerSecond()) + "), disk "
                + Figures.number(before.syncsPerSecond()) + " -> " + Figures.number(after.syncsPerSecond())
                + " syncs/s (" + ratio(after.syncsPerSecond(), before.syncsPerSecond()) + ")";
    }

    /** {@code value / reference} as {@code 0.98x}. */
    public static String ratio(double value, double reference) {
        return String.format(Locale.ROOT, "%.2fx", value / reference);
    }

    /**
     * One probe of the host.
     *
     * @param hashesPerSecond SHA-256 digests of 1 KiB per second on one thread: the speed of one core
     * @param syncsPerSecond 8 KiB writes, each forced to the disk, per second on one thread, in
     *     {@code perf.results.dir}: the speed of the disk's flush, which every database commit waits for
     */
    public record Sample(double hashesPerSecond, double syncsPerSecond) {

        /** No probe. */
        public static final Sample NONE = new Sample(0, 0);

        /** Whether this is a probe, not {@link #NONE}. */
        public boolean measured() {
            return hashesPerSecond > 0 && syncsPerSecond > 0;
        }
    }
}
