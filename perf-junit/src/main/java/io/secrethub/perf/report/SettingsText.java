package io.secrethub.perf.report;

import io.secrethub.perf.LoadSettings;
import io.secrethub.perf.units.Durations;
import io.secrethub.perf.units.Figures;

/** Load settings in one line of words, as the reports head each result. */
public final class SettingsText {

    private SettingsText() {
    }

    /** E.g. {@code closed model, 2 agents x 1,000 iterations, warm-up 10 per agent, virtual threads, seed 42}. */
    public static String describe(LoadSettings settings) {
        StringBuilder text = new StringBuilder();
        String agents = Figures.count(settings.agents()) + (settings.agents() == 1 ? " agent" : " agents");
        if (settings.openModel()) {
            text.append("open model at ").append(Figures.rate(settings.rate())).append(", ").append(agents);
            if (settings.durationBased()) {
                text.append(", for ").append(Durations.format(settings.duration()));
            } else {
                text.append(", ").append(Figures.count((long) settings.agents() * settings.iterations()))
                        .append(" arrivals");
            }
        } else {
            text.append("closed model, ").append(agents);
            if (settings.durationBased()) {
                text.append(" for ").append(Durations.format(settings.duration()));
            } else {
                text.append(" x ").append(Figures.count(settings.iterations()))
                        .append(settings.iterations() == 1 ? " iteration" : " iterations");
            }
        }
        if (settings.warmupUntilSteady()) {
            text.append(", warm-up until steady (at most ").append(Durations.format(settings.warmupDuration()))
                    .append(")");
        } else if (!settings.warmupDuration().isZero()) {
            text.append(", warm-up ").append(Durations.format(settings.warmupDuration())).append(" per agent");
        } else if (settings.warmupIterations() > 0) {
            text.append(", warm-up ").append(Figures.count(settings.warmupIterations())).append(" per agent");
        }
        if (!settings.rampUp().isZero()) {
            text.append(", ramp-up ").append(Durations.format(settings.rampUp()));
        }
        if (settings.hasTimeout()) {
            text.append(", timeout ").append(Durations.format(settings.timeout()));
        }
        if (settings.scale() != 1) {
            text.append(", scale ").append(Figures.number(settings.scale()));
        }
        return text.append(", ").append(settings.threads().key()).append(" threads, seed ").append(settings.seed())
                .toString();
    }
}
