package io.secrethub.perf.config;

import java.util.Locale;

/**
 * How percentile SLOs treat a figure that rests on few samples.
 *
 * @param minSamples {@code perf.slo.minSamples}: the fewest successful operations a percentile SLO needs to be
 *     judged when its annotation sets no {@code minSamples}; default 0 (every percentile is judged)
 * @param inconclusiveFails {@code perf.slo.inconclusive=fail}: an SLO with too few samples fails its test instead
 *     of being reported as inconclusive; default false ({@code report})
 */
public record SloOptions(int minSamples, boolean inconclusiveFails) {

    /** No minimum, inconclusive SLOs reported: the behaviour without configuration. */
    public static final SloOptions DEFAULT = new SloOptions(0, false);

    /** The value of {@code perf.slo.inconclusive} that fails a test on an inconclusive SLO. */
    public static final String FAIL = "fail";
    /** The default value of {@code perf.slo.inconclusive}: report it, do not fail. */
    public static final String REPORT = "report";

    /** Checks the minimum. */
    public SloOptions {
        if (minSamples < 0) {
            throw new IllegalArgumentException("minSamples must be 0 or more: " + minSamples);
        }
    }

    /** The options {@code config} sets, with the defaults for the rest. */
    public static SloOptions from(ConfigurationSource config) {
        int minSamples = config.setting(PerfKeys.SLO_MIN_SAMPLES).map(setting -> setting.asInt(0)).orElse(0);
        boolean fails = config.setting(PerfKeys.SLO_INCONCLUSIVE).map(SloOptions::parseInconclusive).orElse(false);
        return new SloOptions(minSamples, fails);
    }

    private static boolean parseInconclusive(RawSetting setting) {
        String value = setting.text().trim().toLowerCase(Locale.ROOT);
        if (value.equals(FAIL) || value.equals(REPORT)) {
            return value.equals(FAIL);
        }
        throw setting.invalid("expected " + REPORT + " (the default) or " + FAIL);
    }
}
