package io.secrethub.perf.units;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and formats durations in the short form used by annotations and configuration: a decimal number
 * followed by a unit, {@code ns}, {@code us} (or {@code µs}), {@code ms}, {@code s}, {@code m} or {@code h}.
 * A bare {@code 0} is accepted too, since "no time" needs no unit.
 */
public final class Durations {

    /** Shown in every parse error, so a user sees at once what would have been accepted. */
    public static final String EXPECTED =
            "expected a number and a unit (ns, us, ms, s, m, h), e.g. \"250us\", \"50ms\", \"1.5s\", \"2m\"";

    private static final Pattern FORM =
            Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*(ns|us|µs|ms|s|m|h)", Pattern.CASE_INSENSITIVE);

    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "µs", 1_000L,
            "ms", 1_000_000L,
            "s", 1_000_000_000L,
            "m", 60_000_000_000L,
            "h", 3_600_000_000_000L);

    private Durations() {
    }

    /**
     * The duration {@code text} denotes, or empty if it is not a duration. Leading and trailing blanks are
     * ignored; fractions below a nanosecond are rounded.
     */
    public static Optional<Duration> tryParse(String text) {
        String trimmed = text.trim();
        if (trimmed.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        Matcher matcher = FORM.matcher(trimmed);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        BigDecimal amount = new BigDecimal(matcher.group(1).endsWith(".") ? matcher.group(1) + "0" : matcher.group(1));
        long unit = NANOS_PER_UNIT.get(matcher.group(2).toLowerCase(Locale.ROOT));
        BigDecimal nanos = amount.multiply(BigDecimal.valueOf(unit)).setScale(0, RoundingMode.HALF_UP);
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(nanos.longValueExact()));
    }

    /**
     * The duration {@code text} denotes.
     *
     * @throws IllegalArgumentException naming the text and the accepted form, if it is not a duration
     */
    public static Duration parse(String text) {
        return tryParse(text).orElseThrow(
                () -> new IllegalArgumentException("\"" + text + "\" is not a duration: " + EXPECTED));
    }

    /** {@code nanos} in the largest unit that keeps it at or above 1, to three significant digits: "62.1 ms". */
    public static String format(double nanos) {
        String[] units = {"ns", "us", "ms", "s"};
        double value = nanos;
        for (int i = 0; ; i++) {
            BigDecimal rounded = round(value);
            boolean lastUnit = i == units.length - 1;
            if (lastUnit || rounded.abs().compareTo(BigDecimal.valueOf(1_000)) < 0) {
                return rounded.stripTrailingZeros().toPlainString() + " " + units[i];
            }
            value /= 1_000;
        }
    }

    /** {@link #format(double)} for a {@link Duration}. */
    public static String format(Duration duration) {
        return format((double) duration.toNanos());
    }

    private static BigDecimal round(double value) {
        return new BigDecimal(value).round(new MathContext(3, RoundingMode.HALF_UP));
    }
}
