/**
 * Configuration of load tests from JUnit configuration parameters ({@code -D…} system properties and
 * {@code junit-platform.properties}), so CI can scale a suite without editing code.
 *
 * <p>{@link io.secrethub.perf.config.PerfKeys} lists every key. Precedence for a {@code @LoadTest} attribute:
 * {@code perf.<fully.qualified.ClassName>.<attribute>}, then {@code perf.<SimpleClassName>.<attribute>}, then
 * {@code perf.<attribute>}, then the annotation. Blank values count as unset. A value that does not parse fails the
 * test with a message naming the key and the value.
 */
package io.secrethub.perf.config;
