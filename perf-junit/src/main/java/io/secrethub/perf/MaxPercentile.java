package io.secrethub.perf;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * SLO: the latency at {@link #percentile()} must not exceed {@link #max()}; for percentiles other than 50, 95 and 99.
 *
 * <p>Applies to the whole method, or to one operation recorded with {@link Agent#time(String, ThrowingSupplier)}
 * when {@link #operation()} names it (an operation that never ran is a breach). Repeatable, so one method can hold
 * a target per operation. A breach fails the test; every breach of the method is listed in one message.
 *
 * <pre>{@code
 * @MaxPercentile(percentile = 99.9, max = "500ms")
 * @MaxPercentile(percentile = 99.9, max = "500ms", minSamples = 10000)   // the slowest 0.1% are 10 operations
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Repeatable(MaxPercentile.List.class)
public @interface MaxPercentile {

    /** The percentile, above 0 and at most 100, e.g. {@code 99.9}. */
    double percentile();

    /** The largest acceptable latency at that percentile, as a duration such as {@code "500ms"}. */
    String max();

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

    /** Holds several {@code @MaxPercentile} on one method; written by the compiler, rarely by hand. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @interface List {

        /** The repeated annotations. */
        MaxPercentile[] value();
    }
}
