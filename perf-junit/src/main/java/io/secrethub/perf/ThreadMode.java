package io.secrethub.perf;

import java.util.Locale;
import java.util.Optional;

/**
 * What agents run on: {@code perf.threads} asks for a mode, and {@link LoadSettings#threads()} reports the one a
 * run used ({@link #VIRTUAL} or {@link #PLATFORM}; {@link #AUTO} only before the engine decided).
 */
public enum ThreadMode {
    /** Virtual threads when the runtime has them (Java 21+), platform threads otherwise. */
    AUTO,
    /** Virtual threads; fails on a runtime without them. */
    VIRTUAL,
    /** Platform threads, one per agent. */
    PLATFORM;

    /** The mode named {@code key}, in any case and ignoring surrounding blanks, if there is one. */
    public static Optional<ThreadMode> ofKey(String key) {
        for (ThreadMode mode : values()) {
            if (mode.key().equalsIgnoreCase(key.trim())) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }

    /** The name as configuration and reports write it: {@code auto}, {@code virtual} or {@code platform}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
