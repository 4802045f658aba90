package io.secrethub.perf;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Budget: no stop-the-world GC pause during the measured part may last longer than {@link #value()}. Pauses come
 * from the JVM's GC notifications (millisecond resolution); collectors' concurrent cycles are not pauses. The whole
 * JVM's pauses count, as they stall the system under test and the agents alike.
 *
 * <pre>{@code @MaxGcPause("50ms")}</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
public @interface MaxGcPause {

    /** The longest acceptable pause, as a duration such as {@code "50ms"}. */
    String value();
}
