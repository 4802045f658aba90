package io.secrethub.perftests;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The suite's own settings (those that are not {@code @LoadTest} attributes), read as JUnit configuration
 * parameters so that {@code -Dkey=value} on the Maven command line and {@code junit-platform.properties} both
 * work, exactly like the engine's {@code perf.*} keys.
 *
 * <p>Register with {@code @ExtendWith(SuiteSettings.Resolver.class)} and declare a {@code SuiteSettings}
 * parameter, e.g. on a {@code @BeforeAll} method.
 */
final class SuiteSettings {

    private final Function<String, Optional<String>> parameters;

    SuiteSettings(Function<String, Optional<String>> parameters) {
        this.parameters = parameters;
    }

    /** A positive whole number, or {@code fallback} when the key is unset or blank. */
    int positiveInt(String key, int fallback) {
        return number(key, "a positive whole number", Integer::parseInt, n -> n > 0).orElse(fallback);
    }

    /** A whole number of at least 0, empty when the key is unset or blank. */
    Optional<Integer> nonNegativeInt(String key) {
        return number(key, "a whole number of at least 0", Integer::parseInt, n -> n >= 0);
    }

    /** A number of at least 0, or {@code fallback} when the key is unset or blank. */
    double nonNegative(String key, double fallback) {
        return number(key, "a number of at least 0", Double::parseDouble, n -> Double.isFinite(n) && n >= 0)
                .orElse(fallback);
    }

    /** The key's value parsed and checked, empty when unset or blank; a bad value is named with the key. */
    private <T> Optional<T> number(String key, String expected, Function<String, T> parse, Predicate<T> valid) {
        Optional<String> value = parameters.apply(key).map(String::trim).filter(text -> !text.isEmpty());
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            T number = parse.apply(value.get());
            if (valid.test(number)) {
                return Optional.of(number);
            }
        } catch (NumberFormatException e) {
            // reported below, with the key
        }
        throw new IllegalArgumentException(key + " must be " + expected + ", not '" + value.get() + "'");
    }

    /** The key's text, empty when unset or blank. */
    Optional<String> optional(String key) {
        return parameters.apply(key).map(String::trim).filter(text -> !text.isEmpty());
    }

    /**
     * A positive duration written as a whole number and a unit ({@code 500ms}, {@code 20s}, {@code 10m},
     * {@code 1h}), or {@code fallback} when the key is unset or blank; a bad value is named with the key.
     */
    Duration duration(String key, Duration fallback) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return fallback;
        }
        Matcher m = Pattern.compile("(\\d{1,9})(ms|s|m|h)").matcher(value.get());
        if (m.matches() && Long.parseLong(m.group(1)) > 0) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        throw new IllegalArgumentException(key + " must be a positive duration such as 500ms, 20s, 10m or 1h, not '"
                + value.get() + "'");
    }

    /** A value that must be set. */
    String required(String key) {
        return parameters.apply(key).filter(text -> !text.isBlank())
                .orElseThrow(() -> new IllegalStateException("set " + key + " (e.g. -D" + key + "=…)"));
    }

    /** Resolves {@link SuiteSettings} parameters from the current JUnit configuration. */
    static final class Resolver implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == SuiteSettings.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return new SuiteSettings(context::getConfigurationParameter);
        }
    }
}
