package io.secrethub.perf.units;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes as annotations write them ({@code "512B"}, {@code "4KB"}, {@code "1.5MB"}; 1 KB = 1,024 bytes). */
public final class Sizes {

    /** Shown in every parse error, so a user sees at once what would have been accepted. */
    public static final String EXPECTED = "expected a number and a unit (B, KB, MB, GB) with no space, e.g. \"512B\","
            + " \"4KB\", \"1.5MB\"";

    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)(B|KB|MB|GB)", Pattern.CASE_INSENSITIVE);
    private static final Map<String, Long> BYTES_PER_UNIT =
            Map.of("B", 1L, "KB", 1L << 10, "MB", 1L << 20, "GB", 1L << 30);

    private Sizes() {
    }

    /** The number of bytes {@code text} denotes, or empty if it is not a size. */
    public static Optional<Long> tryParse(String text) {
        Matcher matcher = FORM.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        BigDecimal bytes = new BigDecimal(matcher.group(1))
                .multiply(BigDecimal.valueOf(BYTES_PER_UNIT.get(matcher.group(2).toUpperCase(Locale.ROOT))));
        return Optional.of(bytes.longValue());
    }

    /** E.g. {@code "812 B"}, {@code "4.1 KB"}, {@code "1.5 MB"}. */
    public static String format(double bytes) {
        if (bytes < 1024) {
            return Figures.number(bytes) + " B";
        }
        if (bytes < 1024 * 1024) {
            return Figures.number(bytes / 1024) + " KB";
        }
        if (bytes < 1024.0 * 1024 * 1024) {
            return Figures.number(bytes / (1024 * 1024)) + " MB";
        }
        return Figures.number(bytes / (1024.0 * 1024 * 1024)) + " GB";
    }
}
