package io.secrethub.perf.config;

import java.util.Locale;

/** What agents run on, as {@code perf.threads} asks for it. */
public enum ThreadMode {
    /** Virtual threads when the runtime has them (Java 21+), platform threads otherwise. */
    AUTO,
    /** Virtual threads; fails on a runtime without them. */
    VIRTUAL,
    /** Platform threads, one per agent. */
    PLATFORM;

    /** The mode {@code setting} names, in any case. */
    public static ThreadMode parse(RawSetting setting) {
        for (ThreadMode mode : values()) {
            if (mode.name().equalsIgnoreCase(setting.text().trim())) {
                return mode;
            }
        }
        throw setting.invalid("expected virtual, platform or auto");
    }

    /** The mode named {@code key} ({@code auto}, {@code virtual} or {@code platform}), as {@link #key()} wrote it. */
    public static ThreadMode ofKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }

    /** The name as written in configuration. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
