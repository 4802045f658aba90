package io.secrethub.perf;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * SLO: the percentage of failed operations must not exceed {@link #value()}.
 *
 * <p>Applies to the whole method, or to one operation recorded with {@link Agent#time(String, ThrowingSupplier)}
 * when {@link #operation()} names it (an operation that never ran is a breach). Repeatable, so one method can hold
 * a target per operation. A breach fails the test; every breach of the method is listed in one message.
 *
 * <pre>{@code @MaxErrorRate(0.1) // at most one failure in a thousand}</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Repeatable(MaxErrorRate.List.class)
public @interface MaxErrorRate {

    /** The largest acceptable percentage of failed operations, 0 to 100; {@code 0} tolerates none. */
    double value();

    /** The operation this target applies to; empty (the default) means the whole method. */
    String operation() default "";

    /** Holds several {@code @MaxErrorRate} on one method; written by the compiler, rarely by hand. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @interface List {

        /** The repeated annotations. */
        MaxErrorRate[] value();
    }
}
