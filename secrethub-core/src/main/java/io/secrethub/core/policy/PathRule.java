package io.secrethub.core.policy;

import io.secrethub.core.InvalidRequestException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One rule of a policy: the capabilities it grants on a path pattern.
 *
 * @param pattern      the path pattern as written, e.g. {@code secret/data/app/*}
 * @param capabilities the capabilities, never empty; unmodifiable
 */
public record PathRule(String pattern, Set<Capability> capabilities) {

    /** Longest accepted pattern: longer ones are almost certainly mistakes, and the bound bounds matching cost. */
    public static final int MAX_PATTERN_LENGTH = 512;

    /** Validates the pattern and copies the capabilities. */
    public PathRule {
        requireValidPattern(pattern);
        Objects.requireNonNull(capabilities, "capabilities");
        if (capabilities.isEmpty()) {
            throw new InvalidRequestException("path \"" + pattern
                    + "\": capabilities must not be empty (use [\"deny\"] to forbid access)");
        }
        capabilities = Collections.unmodifiableSet(EnumSet.copyOf(capabilities));
    }

    /** Whether this rule denies (deny overrides whatever else it lists). */
    public boolean denies() {
        return capabilities.contains(Capability.DENY);
    }

    /**
     * Checks a path pattern's syntax: segments separated by '/'; {@code +} stands for exactly one segment
     * and must be a whole segment; {@code *} is a prefix glob and may only be the last character. A
     * pattern without either is an exact path.
     *
     * @return {@code text}
     * @throws InvalidRequestException naming the pattern and the rule it breaks
     */
    public static String requireValidPattern(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidRequestException("path pattern must not be empty");
        }
        if (text.length() > MAX_PATTERN_LENGTH) {
            throw invalid(text, "longer than " + MAX_PATTERN_LENGTH + " characters");
        }
        if (text.charAt(0) == '/') {
            throw invalid(text, "must not start with '/' (paths are relative, e.g. \"secret/data/app\")");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                throw invalid(text, "contains a space or control character at index " + i);
            }
            if (c == '*' && i != text.length() - 1) {
                throw invalid(text, "'*' is only allowed as the last character");
            }
            if (c == '+') {
                boolean startsSegment = i == 0 || text.charAt(i - 1) == '/';
                boolean endsSegment = i == text.length() - 1 || text.charAt(i + 1) == '/';
                if (!startsSegment || !endsSegment) {
                    throw invalid(text, "'+' must be a whole path segment, like \"secret/+/config\"");
                }
            }
            if (c == '/' && i > 0 && text.charAt(i - 1) == '/') {
                throw invalid(text, "contains an empty segment (\"//\")");
            }
        }
        return text;
    }

    private static InvalidRequestException invalid(String text, String problem) {
        return new InvalidRequestException("invalid path pattern \"" + text + "\": " + problem);
    }
}
