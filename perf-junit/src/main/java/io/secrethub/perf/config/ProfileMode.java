package io.secrethub.perf.config;

import java.util.Locale;

/** {@code perf.profile}: what is profiled over each load test's measured part. */
public enum ProfileMode {
    /** Nothing (the default). */
    OFF,
    /** Only the GC and allocation counters the JVM keeps anyway. */
    GC,
    /** A JDK Flight Recorder recording of the measured part, and its summary. */
    JFR;

    /** The value as written in {@code perf.profile}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ProfileMode parse(RawSetting setting) {
        String value = setting.text().trim().toLowerCase(Locale.ROOT);
        for (ProfileMode mode : values()) {
            if (mode.key().equals(value)) {
                return mode;
            }
        }
        if (value.equals("none") || value.isEmpty()) {
            return OFF;
        }
        throw setting.invalid("expected off, gc or jfr");
    }
}
