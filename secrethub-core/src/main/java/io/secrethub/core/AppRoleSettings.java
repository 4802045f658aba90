package io.secrethub.core;

import io.secrethub.core.auth.Cidr;
import io.secrethub.core.policy.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * The settings of an AppRole role (Vault's names in brackets).
 *
 * <pre>{@code
 * AppRoleSettings.builder().policies("web").tokenTtl(Duration.ofMinutes(20)).tokenMaxTtl(Duration.ofHours(1))
 *         .secretIdTtl(Duration.ofDays(1)).secretIdNumUses(1).boundCidrs("10.0.0.0/8").build();
 * }</pre>
 */
public final class AppRoleSettings {

    /** Token TTL when none is set (Vault's default lease is longer; an hour keeps stolen tokens short-lived). */
    public static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(1);
    /** Token max TTL when none is set (Vault's default system max TTL). */
    public static final Duration DEFAULT_TOKEN_MAX_TTL = Duration.ofDays(32);
    /** Most policies a role may grant. */
    public static final int MAX_POLICIES = 64;
    /** Most CIDR blocks a role may be bound to. */
    public static final int MAX_CIDRS = 64;

    private final List<String> policies;
    private final Duration tokenTtl;
    private final Duration tokenMaxTtl;
    private final Duration secretIdTtl;
    private final int secretIdNumUses;
    private final List<String> boundCidrs;

    private AppRoleSettings(Builder b) {
        this.policies = List.copyOf(b.policies);
        this.tokenTtl = b.tokenTtl;
        this.tokenMaxTtl = b.tokenMaxTtl;
        this.secretIdTtl = b.secretIdTtl;
        this.secretIdNumUses = b.secretIdNumUses;
        this.boundCidrs = List.copyOf(b.cidrs);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The role's policies ({@code token_policies}), sorted; tokens also get {@code default}. */
    public List<String> policies() {
        return policies;
    }

    /** {@code token_ttl}. */
    public Duration tokenTtl() {
        return tokenTtl;
    }

    /** {@code token_max_ttl}: renewals cannot extend a token past creation + this. */
    public Duration tokenMaxTtl() {
        return tokenMaxTtl;
    }

    /** {@code secret_id_ttl}, or {@code null} for secret_ids that do not expire. */
    public Duration secretIdTtl() {
        return secretIdTtl;
    }

    /** {@code secret_id_num_uses}: logins per secret_id, 0 for unlimited. */
    public int secretIdNumUses() {
        return secretIdNumUses;
    }

    /**
     * {@code secret_id_bound_cidrs}, normalized (host bits cleared, prefix length always written, IPv6 in
     * RFC 5952 form, e.g. {@code 10.0.0.0/8}, {@code 2001:db8::/32}); empty for any address.
     */
    public List<String> boundCidrs() {
        return boundCidrs;
    }

    /** Builds validated settings. Not thread-safe. */
    public static final class Builder {

        private final TreeSet<String> policies = new TreeSet<>();
        private Duration tokenTtl = DEFAULT_TOKEN_TTL;
        private Duration tokenMaxTtl;
        private Duration secretIdTtl;
        private int secretIdNumUses;
        private final List<String> cidrs = new ArrayList<>();

        private Builder() {
        }

        /** Policies for tokens of this role; {@code root} is refused. */
        public Builder policies(String... names) {
            for (String name : Arrays.asList(names)) {
                if (!Policy.isValidName(name)) {
                    throw new InvalidRequestException("invalid policy name in role settings");
                }
                if (Policy.ROOT.equals(name)) {
                    throw new InvalidRequestException("a role cannot grant the root policy");
                }
                policies.add(name);
            }
            if (policies.size() > MAX_POLICIES) {
                throw new InvalidRequestException("a role may grant at most " + MAX_POLICIES + " policies");
            }
            return this;
        }

        public Builder tokenTtl(Duration ttl) {
            this.tokenTtl = positive(ttl, "tokenTtl");
            return this;
        }

        public Builder tokenMaxTtl(Duration ttl) {
            this.tokenMaxTtl = positive(ttl, "tokenMaxTtl");
            return this;
        }

        /** {@code null} (the default): secret_ids do not expire. */
        public Builder secretIdTtl(Duration ttl) {
            this.secretIdTtl = ttl == null ? null : positive(ttl, "secretIdTtl");
            return this;
        }

        /** 0 (the default): unlimited. */
        public Builder secretIdNumUses(int uses) {
            if (uses < 0) {
                throw new InvalidRequestException("secretIdNumUses must not be negative");
            }
            this.secretIdNumUses = uses;
            return this;
        }

        /** IPv4/IPv6 CIDR blocks (or single addresses) logins must come from. */
        public Builder boundCidrs(String... blocks) {
            for (String block : blocks) {
                cidrs.add(Cidr.parse(block).normalized());
            }
            if (cidrs.size() > MAX_CIDRS) {
                throw new InvalidRequestException("a role may be bound to at most " + MAX_CIDRS + " CIDR blocks");
            }
            return this;
        }

        /** @throws InvalidRequestException if the token TTL exceeds the max TTL */
        public AppRoleSettings build() {
            if (tokenMaxTtl == null) {
                tokenMaxTtl = tokenTtl.compareTo(DEFAULT_TOKEN_MAX_TTL) > 0 ? tokenTtl : DEFAULT_TOKEN_MAX_TTL;
            }
            if (tokenTtl.compareTo(tokenMaxTtl) > 0) {
                throw new InvalidRequestException("tokenTtl must not exceed tokenMaxTtl");
            }
            return new AppRoleSettings(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero() || d.toSeconds() < 1) {
                throw new InvalidRequestException(name + " must be at least one second");
            }
            return d;
        }
    }
}
