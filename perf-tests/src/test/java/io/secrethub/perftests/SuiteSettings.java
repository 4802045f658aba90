package io.secrethub.perftests;

import java.util.Optional;
import java.util.function.Function;
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
        Optional<String> value = parameters.apply(key).map(String::trim).filter(text -> !text.isEmpty());
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.get());
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below, with the key
        }
        throw new IllegalArgumentException(key + " must be a positive whole number, not '" + value.get() + "'");
    }

    /** A number of at least 0, or {@code fallback} when the key is unset or blank. */
    double nonNegative(String key, double fallback) {
        Optional<String> value = parameters.apply(key).map(String::trim).filter(text -> !text.isEmpty());
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            double number = Double.parseDouble(value.get());
            if (Double.isFinite(number) && number >= 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below, with the key
        }
        throw new IllegalArgumentException(key + " must be a number of at least 0, not '" + value.get() + "'");
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
