package io.secrethub.core.policy;

import io.secrethub.core.InvalidRequestException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A named set of {@link PathRule}s, as in Vault.
 *
 * <p>Build one in Java with {@code Policy.builder("app").path("secret/data/app/*", READ, LIST).build()}
 * or parse Vault's JSON form with {@link #fromJson}. A pattern given more than once is merged
 * (union of capabilities), as Vault merges identical patterns. Policies are immutable.
 *
 * <p>Two names are special: {@value #ROOT} allows everything and cannot be defined by users (see
 * {@link #root()}); {@value #DEFAULT} is the built-in policy every token normally carries (see
 * {@link #defaultPolicy()}).
 */
public final class Policy {

    /** Name of the policy that allows everything. */
    public static final String ROOT = "root";
    /** Name of the built-in policy for a token's own housekeeping. */
    public static final String DEFAULT = "default";
    /** Longest accepted policy name. */
    public static final int MAX_NAME_LENGTH = 128;

    private static final Policy ROOT_POLICY = new Policy(ROOT, List.of());
    private static final Policy DEFAULT_POLICY = builder(DEFAULT)
            .path("auth/token/lookup-self", Capability.READ)
            .path("auth/token/renew-self", Capability.UPDATE)
            .path("auth/token/revoke-self", Capability.UPDATE)
            .path("sys/capabilities-self", Capability.UPDATE)
            .path("sys/leases/renew", Capability.UPDATE)
            .path("sys/leases/lookup", Capability.UPDATE)
            .build();

    /** Longest policy text {@link #withSource} keeps (Vault's own request limit is far larger; policies are small). */
    public static final int MAX_SOURCE_LENGTH = 64 * 1024;

    private final String name;
    private final List<PathRule> rules;
    /** The text this policy was written as (HCL or JSON), kept to be read back as written; null if none. */
    private final String source;

    private Policy(String name, List<PathRule> rules) {
        this(name, rules, null);
    }

    private Policy(String name, List<PathRule> rules, String source) {
        this.name = name;
        this.rules = rules;
        this.source = source;
    }

    /** Starts a policy named {@code name} (validated by {@link Builder#build()}). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Parses Vault's JSON policy form:
     * {@code {"path": {"secret/data/app/*": {"capabilities": ["read", "list"]}}}}.
     *
     * <p>Vault's parameter constraints ({@code allowed_parameters}, {@code denied_parameters},
     * {@code required_parameters}) and wrapping TTLs are refused rather than ignored: silently
     * dropping a restriction would grant more than the author meant.
     *
     * @throws InvalidRequestException naming the offending path or capability
     */
    public static Policy fromJson(String name, String json) {
        return PolicyJson.parse(name, json);
    }

    /** The policy that allows every capability on every path; a token with it has no other policy. */
    public static Policy root() {
        return ROOT_POLICY;
    }

    /**
     * The built-in {@value #DEFAULT} policy: a token may look itself up, renew and revoke itself,
     * ask for its own capabilities, and renew or look up its leases (Vault's default, without
     * Vault-only features such as cubbyhole).
     */
    public static Policy defaultPolicy() {
        return DEFAULT_POLICY;
    }

    /** Whether {@code name} is a syntactically valid policy name (this includes {@value #ROOT}). */
    public static boolean isValidName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!alphanumeric && (i == 0 || (c != '-' && c != '_' && c != '.'))) {
                return false;
            }
        }
        return true;
    }

    static String requireDefinableName(String name) {
        if (!isValidName(name)) {
            throw new InvalidRequestException("invalid policy name "
                    + (name == null ? "(null)" : "\"" + truncate(name) + "\"")
                    + ": expected 1-" + MAX_NAME_LENGTH
                    + " characters of a-z, 0-9, '-', '_' or '.', starting with a letter or digit");
        }
        if (ROOT.equals(name)) {
            throw new InvalidRequestException("policy name \"root\" is reserved: the root policy is built in");
        }
        return name;
    }

    private static String truncate(String text) {
        String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** The policy's name. */
    public String name() {
        return name;
    }

    /** The rules, one per distinct pattern, in the order the patterns first appeared. */
    public List<PathRule> rules() {
        return rules;
    }

    /** Whether this is the {@value #ROOT} policy. */
    public boolean isRoot() {
        return this == ROOT_POLICY;
    }

    /**
     * This policy with {@code text} kept as the form it was written in (Vault's HCL or JSON), so that reading it
     * back returns the text exactly as written, as Vault does. The rules stay what decides access; the text is
     * what an operator sees. Not for {@value #ROOT}.
     *
     * @throws InvalidRequestException if the text is empty or longer than {@value #MAX_SOURCE_LENGTH} characters
     */
    public Policy withSource(String text) {
        if (isRoot()) {
            throw new InvalidRequestException("the root policy has no text");
        }
        if (text == null || text.isBlank() || text.length() > MAX_SOURCE_LENGTH) {
            throw new InvalidRequestException("policy text must be 1 to " + MAX_SOURCE_LENGTH + " characters");
        }
        return new Policy(name, rules, text);
    }

    /** The text this policy was written as, when it was kept ({@link #withSource}). */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }

    /** Vault's JSON form of this policy, which {@link #fromJson} reads back. */
    public String toJson() {
        return PolicyJson.write(this);
    }

    /** Equal when the name and the rules are: the kept text is presentation, not meaning. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Policy && ((Policy) other).name.equals(name) && ((Policy) other).rules.equals(rules);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + rules.hashCode();
    }

    @Override
    public String toString() {
        return "Policy[" + name + ", " + rules.size() + " rules]";
    }

    /** Collects rules; identical patterns are merged. Not thread-safe. */
    public static final class Builder {

        private final String name;
        private final Map<String, EnumSet<Capability>> rules = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        /**
         * Grants {@code capabilities} on {@code pattern}.
         *
         * @throws InvalidRequestException if the pattern is invalid or no capability is given
         */
        public Builder path(String pattern, Capability... capabilities) {
            return path(pattern, Arrays.asList(Objects.requireNonNull(capabilities, "capabilities")));
        }

        /** Grants {@code capabilities} on {@code pattern}. */
        public Builder path(String pattern, Collection<Capability> capabilities) {
            PathRule.requireValidPattern(pattern);
            if (capabilities.isEmpty()) {
                throw new InvalidRequestException("path \"" + pattern
                        + "\": capabilities must not be empty (use \"deny\" to forbid access)");
            }
            for (Capability capability : capabilities) {
                Objects.requireNonNull(capability, () -> "path \"" + pattern + "\": null capability");
            }
            rules.computeIfAbsent(pattern, p -> EnumSet.noneOf(Capability.class)).addAll(capabilities);
            return this;
        }

        /**
         * The policy.
         *
         * @throws InvalidRequestException if the name is invalid or reserved
         */
        public Policy build() {
            requireDefinableName(name);
            List<PathRule> built = new ArrayList<>(rules.size());
            rules.forEach((pattern, capabilities) -> built.add(new PathRule(pattern, capabilities)));
            return new Policy(name, Collections.unmodifiableList(built));
        }
    }
}
