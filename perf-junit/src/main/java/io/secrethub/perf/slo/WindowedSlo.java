package io.secrethub.perf.slo;

import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.units.Durations;
import io.secrethub.perf.units.Figures;
import java.util.List;
import java.util.Optional;

/**
 * A latency or throughput SLO that must hold in every window of the run (the annotation's {@code window}), not
 * only over the whole run: a stall of a few seconds in a long run shows, where the whole run's figure would hide
 * it. Windows without successful operations say nothing about latency and are skipped by latency SLOs; for
 * throughput they are the worst case. A latency SLO's {@code minSamples} applies to each window: a window with fewer
 * successful operations is not judged either, and the outcome says how many were left out.
 *
 * @param slo the target, as it would apply to the whole run
 * @param windowNanos the window's length
 */
public record WindowedSlo(Slo slo, long windowNanos) implements Slo {

    /** Checks that the target is one that windows apply to. */
    public WindowedSlo {
        if (!(slo instanceof LatencySlo || slo instanceof ThroughputSlo)) {
            throw new IllegalArgumentException("windows apply to latency and throughput SLOs, not " + slo);
        }
    }

    @Override
    public String annotation() {
        return slo.annotation();
    }

    @Override
    public String operation() {
        return slo.operation();
    }

    /** E.g. {@code "p99 per 1 s"}. */
    public String metric() {
        String metric = slo instanceof LatencySlo latency ? latency.metric() : "throughput";
        return metric + " per " + Durations.format(windowNanos);
    }

    @Override
    public SloOutcome evaluate(MeasuredScope scope) {
        return judge(scope.windows(windowNanos));
    }

    /**
     * The outcome over {@code windows}: a breach names the worst window and how many windows breached. A latency
     * SLO with a {@code minSamples} leaves out the windows with fewer successful operations and says how many; when
     * that leaves none, the outcome is {@link SloOutcome.Verdict#INCONCLUSIVE}.
     */
    public SloOutcome judge(List<MeasuredWindow> windows) {
        SloOutcome template = slo.evaluate(EMPTY);
        String target = template.target();
        String window = Durations.format(windowNanos);
        MeasuredWindow worst = null;
        double worstValue = 0;
        int judged = 0;
        int breached = 0;
        int tooFew = 0;
        long mostInTooFew = 0;
        for (MeasuredWindow candidate : windows) {
            Optional<Double> value = value(candidate.figures());
            if (value.isEmpty()) {
                continue;
            }
            if (!enoughSamples(candidate.figures())) {
                tooFew++;
                mostInTooFew = Math.max(mostInTooFew, candidate.figures().successes());
                continue;
            }
            judged++;
            if (!slo.evaluate(candidate.figures()).passed()) {
                breached++;
            }
            if (worst == null || worse(value.get(), worstValue)) {
                worst = candidate;
                worstValue = value.get();
            }
        }
        if (worst == null && tooFew > 0) {
            String needed = Figures.count(minSamples());
            String why = "no window had " + needed + " samples (" + tooFew + (tooFew == 1 ? " window" : " windows")
                    + ", at most " + Figures.count(mostInTooFew) + " each)";
            return new SloOutcome(annotation(), operation(), metric(), template.comparator(), target,
                    "not judged: " + why, SloOutcome.Verdict.INCONCLUSIVE, Slo.scopePrefix(operation()) + metric()
                            + " inconclusive: needs " + needed + " samples in a window, " + why + " ("
                            + annotation() + ")");
        }
        if (worst == null) {
            String why = windows.isEmpty() ? "the run was shorter than half a " + window + " window"
                    : "no window had successful operations";
            return new SloOutcome(annotation(), operation(), metric(), template.comparator(), target,
                    "not measured: " + why, false,
                    Slo.scopePrefix(operation()) + metric() + " not measured: " + why + " (" + annotation() + ")");
        }
        SloOutcome inWorst = slo.evaluate(worst.figures());
        String when = "in the window " + seconds(worst.startSeconds()) + "-" + seconds(worst.endSeconds()) + " s";
        String leftOut = tooFew == 0 ? ""
                : "; " + tooFew + (tooFew == 1 ? " window" : " windows") + " of fewer than "
                        + Figures.count(minSamples()) + " samples not judged";
        String measured = inWorst.measured() + " " + when + leftOut;
        String breach = breached == 0 ? ""
                : Slo.scopePrefix(operation()) + metric() + ": " + inWorst.measured() + " "
                        + template.comparator().opposite() + " " + target + " " + when + ", the worst of " + judged
                        + " windows; " + breached + " breached" + leftOut + " (" + annotation() + ")";
        return new SloOutcome(annotation(), operation(), metric(), template.comparator(), target, measured,
                breached == 0, breach);
    }

    /** The first breached window in {@code windows}, if any: what stops a run that aborts on failure. */
    public Optional<String> firstBreach(List<MeasuredWindow> windows) {
        for (MeasuredWindow candidate : windows) {
            if (value(candidate.figures()).isPresent() && enoughSamples(candidate.figures())
                    && !slo.evaluate(candidate.figures()).passed()) {
                return Optional.of(judge(List.of(candidate)).breach());
            }
        }
        return Optional.empty();
    }

    /** The fewest successful operations a window needs to be judged; 0 for throughput. */
    public long minSamples() {
        return slo instanceof LatencySlo latency ? latency.minSamples() : 0;
    }

    private boolean enoughSamples(MeasuredScope figures) {
        return !(slo instanceof LatencySlo latency) || latency.enoughSamples(figures);
    }

    @Override
    public SloOutcome neverRan(String recordedOperations) {
        SloOutcome whole = slo.neverRan(recordedOperations);
        return new SloOutcome(whole.annotation(), whole.operation(), metric(), whole.comparator(), whole.target(),
                whole.measured(), false, whole.breach());
    }

    private Optional<Double> value(MeasuredScope figures) {
        if (slo instanceof LatencySlo latency) {
            return figures.successes() == 0 ? Optional.empty() : Optional.of(latency.measure(figures));
        }
        return Optional.of(figures.throughput());
    }

    private boolean worse(double value, double than) {
        return slo instanceof LatencySlo ? value > than : value < than;
    }

    private static String seconds(double seconds) {
        return Figures.number(Math.round(seconds * 10) / 10.0);
    }

    /** A scope with nothing in it: asked only for the target's wording. */
    private static final MeasuredScope EMPTY = new MeasuredScope() {
        @Override
        public long successes() {
            return 0;
        }

        @Override
        public long failures() {
            return 0;
        }

        @Override
        public double throughput() {
            return 0;
        }

        @Override
        public long percentileNanos(double percentile) {
            return 0;
        }

        @Override
        public double meanNanos() {
            return 0;
        }

        @Override
        public List<io.secrethub.perf.ErrorSummary> errors() {
            return List.of();
        }
    };
}
