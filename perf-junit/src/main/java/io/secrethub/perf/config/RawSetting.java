package io.secrethub.perf.config;

import io.secrethub.perf.units.Durations;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A setting's text together with where it came from, so that every parse error can say exactly which
 * annotation or key held the bad value.
 *
 * @param origin e.g. {@code configuration parameter perf.agents = "abc"} or
 *     {@code @LoadTest(duration = "5 sec") on SloFixture.slow()}
 * @param text the value to parse
 */
public record RawSetting(String origin, String text) {

    /** A value read from configuration parameter {@code key}. */
    public static RawSetting ofParameter(String key, String value) {
        return new RawSetting("configuration parameter " + key + " = \"" + value + "\"", value);
    }

    /** A value of annotation {@code annotation}'s attribute, shown as the user wrote it. */
    public static RawSetting ofAnnotation(String annotation, String rendering, String value, String method) {
        return new RawSetting(annotation + "(" + rendering + ") on " + method, value);
    }

    /** The error to throw when the text is not what {@code expectation} describes. */
    public PerfConfigurationException invalid(String expectation) {
        return new PerfConfigurationException("Invalid " + origin + ": " + expectation);
    }

    /** A whole number of at least {@code min}. */
    public int asInt(int min) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // reported below, with the range
        }
        throw invalid("expected a whole number of at least " + min);
    }

    /** A finite number of at least {@code min}. */
    public double asDouble(double min) {
        try {
            double value = Double.parseDouble(text.trim());
            if (Double.isFinite(value) && value >= min) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // reported below, with the range
        }
        throw invalid("expected a number of at least " + (min == Math.rint(min) ? String.valueOf((long) min) : min));
    }

    /** A percentage written with its sign, e.g. {@code "20%"} or {@code "2.5%"}: 0 or more, in percent. */
    public double asPercentage() {
        if (!text.matches("[0-9]+(\\.[0-9]+)?%")) {
            throw invalid("expected a percentage such as \"20%\" (digits, then %, no space)");
        }
        return Double.parseDouble(text.substring(0, text.length() - 1));
    }

    /** A finite number greater than 0. */
    public double asPositiveDouble() {
        try {
            double value = Double.parseDouble(text.trim());
            if (Double.isFinite(value) && value > 0) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw invalid("expected a number greater than 0");
    }

    /** A whole number in {@code long} range. */
    public long asLong() {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException notANumber) {
            throw invalid("expected a whole number");
        }
    }

    /** {@code true} or {@code false}, in any case. */
    public boolean asBoolean() {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw invalid("expected true or false");
    }

    /** A duration such as {@code "250us"} or {@code "1.5s"}; {@code "0"} is zero. */
    public Duration asDuration() {
        Optional<Duration> duration = Durations.tryParse(text);
        return duration.orElseThrow(() -> invalid("not a duration; " + Durations.EXPECTED));
    }

    /** A duration, where empty means zero: for attributes whose "unset" is the empty string. */
    public Duration asOptionalDuration() {
        return text.isBlank() ? Duration.ZERO : asDuration();
    }

    /** A duration greater than zero. */
    public Duration asPositiveDuration() {
        Duration duration = asDuration();
        if (duration.isZero()) {
            throw invalid("expected a duration greater than 0");
        }
        return duration;
    }
}
