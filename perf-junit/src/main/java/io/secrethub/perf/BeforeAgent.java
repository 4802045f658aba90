package io.secrethub.perf;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a load test class that each agent runs once, on its own thread, before its warm-up and
 * measured invocations of every {@link LoadTest} method of the class: logging in, opening a connection,
 * creating the data it will read. Not measured.
 *
 * <p>The method is an instance method that takes no parameters or one {@link Agent}. A failure aborts the
 * load test.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface BeforeAgent {
}
