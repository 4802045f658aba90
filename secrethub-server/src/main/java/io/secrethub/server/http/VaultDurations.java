package io.secrethub.server.http;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Vault's duration forms: an integer number of seconds, or Go-style text ({@code 30s}, {@code 1h30m}, {@code 2d}). */
public final class VaultDurations {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private VaultDurations() {
    }

    public static Duration parse(String field, Object value) {
        if (value instanceof Number n) {
            return Duration.ofSeconds(n.longValue());
        }
        String text = value.toString().strip();
        if (text.matches("\\d{1,12}")) {
            return Duration.ofSeconds(Long.parseLong(text));
        }
        Matcher m = PART.matcher(text);
        Duration total = Duration.ZERO;
        int at = 0;
        while (m.find() && m.start() == at) {
            long amount = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
            at = m.end();
        }
        if (at == 0 || at != text.length()) {
            throw ApiException.badRequest("invalid duration for field \"" + field + "\"");
        }
        return total;
    }

    /** Vault's text form of a duration in responses, e.g. {@code 0s}, {@code 768h0m0s}. */
    public static String format(Duration d) {
        long seconds = d.getSeconds();
        if (seconds == 0) {
            return "0s";
        }
        long h = seconds / 3600;
        long m = (seconds % 3600) / 60;
        long s = seconds % 60;
        if (h > 0) {
            return h + "h" + m + "m" + s + "s";
        }
        return m > 0 ? m + "m" + s + "s" : s + "s";
    }
}
