package io.secrethub.perftests;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
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
