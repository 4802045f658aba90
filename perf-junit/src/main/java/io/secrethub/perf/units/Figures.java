package io.secrethub.perf.units;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/**
 * Counts, rates and percentages as reports and failure messages print them, independent of the JVM's locale, and
 * the median the reports summarize figures by.
 */
public final class Figures {

    private Figures() {
    }

    /** A count with thousands separators: "10,000". */
    public static String count(long count) {
        return String.format(Locale.ROOT, "%,d", count);
    }

    /** Operations per second: "480/s", "12.5/s", "8,123,456/s". */
    public static String rate(double perSecond) {
        return number(perSecond) + "/s";
    }

    /** A percentage: "10%", "0.5%", "99.9%". */
    public static String percent(double percent) {
        return number(percent) + "%";
    }

    /** Three significant digits below 1,000 (where a fraction still says something), whole numbers above. */
    public static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        if (Math.abs(value) >= 1_000) {
            return String.format(Locale.ROOT, "%,d", Math.round(value));
        }
        if (value == 0) {
            return "0";
        }
        return new BigDecimal(value).round(new MathContext(3, RoundingMode.HALF_UP))
                .stripTrailingZeros().toPlainString();
    }

    /** The median of {@code values}, which must not be empty: the middle one, or the mean of the two middle ones. */
    public static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
