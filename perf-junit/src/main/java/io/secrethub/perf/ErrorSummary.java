package io.secrethub.perf;

import java.util.Objects;

/**
 * The failures of one exception type.
 *
 * @param type the exception's fully qualified class name
 * @param count how many operations failed with it
 * @param firstMessage the first such exception's message ({@code ""} if it had none)
 * @param firstStackTrace the first such exception's stack trace, as {@link Throwable#printStackTrace()} prints it
 */
public record ErrorSummary(String type, long count, String firstMessage, String firstStackTrace) {

    /** Checks that no component is null. */
    public ErrorSummary {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(firstMessage, "firstMessage");
        Objects.requireNonNull(firstStackTrace, "firstStackTrace");
    }
}
