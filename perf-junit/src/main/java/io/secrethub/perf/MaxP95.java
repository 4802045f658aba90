package io.secrethub.perf;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * SLO: the 95th percentile latency must not exceed {@link #value()}.
 *
 * <p>Applies to the whole method, or to one operation recorded with {@link Agent#time(String, ThrowingSupplier)}
 * when {@link #operation()} names it (an operation that never ran is a breach). Repeatable, so one method can hold
 * a target per operation. A breach fails the test; every breach of the method is listed in one message.
 *
 * <pre>{@code @MaxP95("50ms")}</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Repeatable(MaxP95.List.class)
public @interface MaxP95 {

    /**
     * The largest acceptable 95th percentile latency, as a duration such as {@code "250us"}, {@code "50ms"},
     * {@code "1.5s"}.
     */
    String value();

    /** The operation this target applies to; empty (the default) means the whole method. */
    String operation() default "";

    /**
     * A window such as {@code "1s"}: the target must then hold in every window of the run, not only over the whole
     * run, and a breach names the worst window and when it was. At least {@code 100ms}; empty (the default) means
     * the whole run. With {@code @LoadTest(abortOnFailure = true)} a breached window stops the run.
     */
    String window() default "";

    /**
     * The fewest successful operations the percentile must rest on to be judged, e.g. {@code 1000} for a p99 (its
     * slowest 1% is then 10 operations, not one or two). With fewer, the SLO is neither met nor breached: it is
     * reported as {@code INCONCLUSIVE} with how many there were, and does not fail the test (unless
     * {@code perf.slo.inconclusive=fail}). With a {@link #window()}, it applies to each window: a window with fewer
     * is not judged, and the outcome says how many were left out. A run without any successful operation is still
     * a breach. {@code 0} judges every figure; {@code -1} (the default) takes {@code perf.slo.minSamples} (default
     * 0). Below -1 fails the test before any load runs.
     */
    int minSamples() default -1;

    /** Holds several {@code @MaxP95} on one method; written by the compiler, rarely by hand. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @interface List {

        /** The repeated annotations. */
        MaxP95[] value();
    }
}
