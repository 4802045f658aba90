package io.secrethub.perf;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * SLO: the latency at {@link #percentile()} over the last third of the measured part must not exceed the first
 * third's by more than {@link #max()}: latency that grows while the load stays the same (a leak, a table or queue
 * that keeps growing). The thirds are of the run's sampling intervals (about a second each, see
 * {@link LatencyTrend}); a run of fewer than three intervals cannot show a trend, which is a breach.
 *
 * <p>Applies to the whole method, or to one operation when {@link #operation()} names it. Every report shows the
 * p95 trend of every test, with or without this annotation.
 *
 * <pre>{@code @MaxLatencyDrift(percentile = 95, max = "20%")}</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Repeatable(MaxLatencyDrift.List.class)
public @interface MaxLatencyDrift {

    /** The percentile compared, above 0 and at most 100; default 95. */
    double percentile() default 95;

    /** The largest acceptable rise from the first third to the last, as a percentage such as {@code "20%"}. */
    String max();

    /** The operation this target applies to; empty (the default) means the whole method. */
    String operation() default "";

    /** Holds several {@code @MaxLatencyDrift} on one method; written by the compiler, rarely by hand. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @interface List {

        /** The repeated annotations. */
        MaxLatencyDrift[] value();
    }
}
