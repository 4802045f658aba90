package io.secrethub.core.authz;

import io.secrethub.core.policy.PathRule;
import java.util.Comparator;

/**
 * A validated policy path pattern and the facts Vault's priority rules are stated in.
 *
 * <p>The syntax is the policy language's ({@link PathRule#requireValidPattern}); this is the
 * evaluation side: priority, literal prefix and matching.
 */
final class PathPattern {

    /**
     * Vault's priority order, lowest priority first ("P1 is lower priority than P2 if ..."):
     * the first {@code +} or {@code *} occurs earlier; it ends in {@code *} and the other does not;
     * it has more {@code +} segments; it is shorter; it is lexicographically smaller. As in Vault,
     * length and lexical order look at the pattern without its trailing {@code *}.
     */
    static final Comparator<PathPattern> BY_PRIORITY = Comparator
            .comparingInt((PathPattern p) -> p.firstWildcard)
            .thenComparing(p -> !p.glob)
            .thenComparing(Comparator.comparingInt((PathPattern p) -> p.plusSegments).reversed())
            .thenComparingInt(p -> p.body.length())
            .thenComparing(p -> p.body);

    private final String text;
    private final String body;
    private final boolean glob;
    private final int firstWildcard;
    private final int plusSegments;

    private PathPattern(String text) {
        this.text = text;
        this.glob = text.endsWith("*");
        this.body = glob ? text.substring(0, text.length() - 1) : text;
        int plus = text.indexOf('+');
        int star = glob ? text.length() - 1 : -1;
        this.firstWildcard = plus >= 0 ? plus : star;
        int count = 0;
        for (int i = 0; i < body.length(); i++) {
            if (body.charAt(i) == '+') {
                count++;
            }
        }
        this.plusSegments = count;
    }

    /**
     * Parses a pattern, validating it by the policy language's rules ({@link PathRule#requireValidPattern}).
     *
     * @throws io.secrethub.core.InvalidRequestException naming the pattern and the rule it breaks
     */
    static PathPattern parse(String text) {
        return new PathPattern(PathRule.requireValidPattern(text));
    }

    /** The pattern as written. */
    String text() {
        return text;
    }

    /** Whether the pattern has no wildcard and so names exactly one path. */
    boolean isExact() {
        return firstWildcard < 0;
    }

    /** The literal text before the first wildcard; every path it matches starts with this. */
    String literalPrefix() {
        return isExact() ? text : text.substring(0, firstWildcard);
    }

    /** Whether {@code path} matches. */
    boolean matches(String path) {
        if (isExact()) {
            return text.equals(path);
        }
        return path.startsWith(literalPrefix()) && matchesAfterPrefix(path);
    }

    /**
     * Whether {@code path}, already known to start with {@link #literalPrefix()}, matches the rest.
     * Walks both strings once without allocating: this runs on every policy check.
     */
    boolean matchesAfterPrefix(String path) {
        int p = firstWildcard;
        int s = firstWildcard;
        int patternEnd = body.length();
        int pathEnd = path.length();
        while (p < patternEnd) {
            char c = body.charAt(p);
            if (c == '+') {
                // One segment, possibly empty, as Vault's split on '/' gives.
                while (s < pathEnd && path.charAt(s) != '/') {
                    s++;
                }
                p++;
            } else if (s < pathEnd && path.charAt(s) == c) {
                p++;
                s++;
            } else {
                return false;
            }
        }
        return glob || s == pathEnd;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PathPattern && ((PathPattern) other).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
