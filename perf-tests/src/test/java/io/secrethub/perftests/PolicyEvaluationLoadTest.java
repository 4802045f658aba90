package io.secrethub.perftests;

import io.secrethub.core.authz.Acl;
import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import io.secrethub.perf.Agent;
import io.secrethub.perf.LoadTest;
import io.secrethub.perf.MaxErrorRate;
import io.secrethub.perf.MaxP99;
import io.secrethub.perf.MinThroughput;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;

/**
 * Policy evaluation: ACL checks for a token holding 10 policies of 20 rules each (exact paths, {@code +}
 * segments and {@code *} globs, as real policies mix them), every request path checked on the hot path of every
 * call. Pure CPU, no database: its p99 is in microseconds.
 *
 * <p>As many agents as a small machine has cores: with more threads than cores the percentiles would measure
 * the OS scheduler, not the ACL. Settings as in {@link AgentLoadTest} ({@code perf.PolicyEvaluationLoadTest.*}).
 */
class PolicyEvaluationLoadTest {

    static final int POLICIES = 10;
    static final int RULES_PER_POLICY = 20;

    /** A request path and the answer the policies must give for it. */
    private record Check(String path, Capability capability, boolean allowed) {
    }

    private static Acl acl;
    private static List<Check> checks;

    @BeforeAll
    static void compilePolicies() {
        List<Policy> policies = new ArrayList<>();
        List<Check> expected = new ArrayList<>();
        for (int p = 0; p < POLICIES; p++) {
            Policy.Builder policy = Policy.builder("team-" + p);
            for (int r = 0; r < RULES_PER_POLICY; r++) {
                String base = "secret/data/team-" + p + "/service-" + r;
                switch (r % 4) {
                    case 0 -> { // exact path
                        policy.path(base + "/password", Capability.READ);
                        expected.add(new Check(base + "/password", Capability.READ, true));
                        expected.add(new Check(base + "/password", Capability.UPDATE, false));
                    }
                    case 1 -> { // prefix glob
                        policy.path(base + "/*", Capability.READ, Capability.UPDATE);
                        expected.add(new Check(base + "/db/url", Capability.UPDATE, true));
                    }
                    case 2 -> { // one-segment wildcard
                        policy.path(base + "/+/config", Capability.READ);
                        expected.add(new Check(base + "/eu-west/config", Capability.READ, true));
                        expected.add(new Check(base + "/eu-west/other", Capability.READ, false));
                    }
                    default -> { // a deny carved out of a broader grant, which must win
                        policy.path(base + "/*", Capability.READ);
                        policy.path(base + "/private/*", Capability.DENY);
                        expected.add(new Check(base + "/public/key", Capability.READ, true));
                        expected.add(new Check(base + "/private/key", Capability.READ, false));
                    }
                }
            }
            policies.add(policy.build());
        }
        // Paths no rule covers: the full walk that ends in "no".
        expected.add(new Check("secret/data/unrelated/team/password", Capability.READ, false));
        expected.add(new Check("secret/data/team-99/service-0/password", Capability.READ, false));
        acl = Acl.compile(policies);
        checks = List.copyOf(expected);
    }

    @LoadTest(agents = 2, iterations = 500_000, warmup = "50000")
    @MaxP99("20us")
    @MinThroughput(50_000)
    @MaxErrorRate(0)
    void aclChecks(Agent agent) {
        Check check = checks.get(agent.random().nextInt(checks.size()));
        if (acl.allowed(check.path(), check.capability()) != check.allowed()) {
            throw new AssertionError(check.capability() + " on " + check.path() + " should be "
                    + (check.allowed() ? "allowed" : "denied"));
        }
    }
}
