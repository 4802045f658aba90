package io.secrethub.perf;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Budget: the heap bytes the agents allocate per invocation of the method must not exceed {@link #value()}. Unlike
 * latency, the figure does not depend on the machine's speed or load, so it can gate a noisy CI machine.
 *
 * <p>Measured with the JVM's per-thread allocation counters ({@code com.sun.management.ThreadMXBean}) on every
 * agent thread over the measured part, divided by the measured invocations (failed ones included). The counters
 * exist for platform threads: with agents on virtual threads (Java 21+, {@code perf.threads=auto}) the figure is not
 * measured and the budget fails saying so; run such a test with {@code perf.threads=platform}.
 *
 * <pre>{@code @MaxAllocationPerOp("4KB")}</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
public @interface MaxAllocationPerOp {

    /** The largest acceptable allocation per invocation: a number and a unit, {@code "512B"}, {@code "4KB"}. */
    String value();
}
