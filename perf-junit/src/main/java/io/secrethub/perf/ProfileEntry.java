package io.secrethub.perf;

import java.util.Objects;

/**
 * One line of a {@link ProfileSummary}: a hot method, an allocation site or a contended monitor.
 *
 * @param name the method ({@code com.example.Parser.parse}), the allocation site ({@code Parser.parse:42 byte[]})
 *     or the monitor's class and where it was entered
 * @param events how many samples or events named it
 * @param weight what they add up to: nothing (0) for hot methods, the sampled bytes for allocation sites, the
 *     nanoseconds waited for a monitor
 */
public record ProfileEntry(String name, long events, long weight) {

    /** Checks the name. */
    public ProfileEntry {
        Objects.requireNonNull(name, "name");
    }
}
