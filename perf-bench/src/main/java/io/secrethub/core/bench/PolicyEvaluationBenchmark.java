package io.secrethub.core.authz;

import static io.secrethub.core.policy.Capability.CREATE;
import static io.secrethub.core.policy.Capability.DENY;
import static io.secrethub.core.policy.Capability.LIST;
import static io.secrethub.core.policy.Capability.READ;
import static io.secrethub.core.policy.Capability.UPDATE;

import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Prints what a policy check costs for a token with 10 policies of 20 rules each (the issue's
 * target is at most 5 µs). Not a test (Surefire never runs it): run its {@code main} with the test
 * classpath; {@link PolicyEvaluationCostTest} runs a short version and prints it too.
 *
 * <p>The rules mix exact paths, globs, {@code +} segments and denies; the checked paths hit each
 * kind and miss. Paths are fresh strings per check, as request paths are, so their hash codes are
 * not cached.
 */
public final class PolicyEvaluationBenchmark {

    static final int POLICIES = 10;
    static final int RULES_PER_POLICY = 20;

    private PolicyEvaluationBenchmark() {
    }

    /** Runs a long measurement. */
    public static void main(String[] args) {
        long checks = args.length > 0 ? Long.parseLong(args[0]) : 20_000_000L;
        for (int round = 1; round <= 3; round++) {
            System.out.println("round " + round + ": " + measure(checks));
        }
    }

    /** The 10 policies × 20 rules workload. */
    static List<Policy> policies() {
        List<Policy> policies = new ArrayList<>();
        for (int team = 0; team < POLICIES; team++) {
            Policy.Builder builder = Policy.builder("team-" + team);
            String base = "secret/data/team-" + team;
            for (int app = 0; app < 4; app++) {
                builder.path(base + "/app-" + app + "/*", READ, LIST)
                        .path(base + "/app-" + app + "/config", READ, UPDATE)
                        .path(base + "/app-" + app + "/admin", DENY);
            }
            builder.path("secret/metadata/team-" + team + "/*", LIST)
                    .path("secret/data/+/shared/team-" + team, READ)
                    .path("secret/data/+/+/team-" + team + "/*", READ)
                    .path("secret/data/team-" + team + "/+/certs/*", READ, CREATE)
                    .path("secret/data/team-" + team + "/+/tmp", CREATE, UPDATE)
                    .path("auth/approle/role/team-" + team + "/secret-id", UPDATE)
                    .path("sys/leases/lookup/team-" + team + "/*", UPDATE)
                    .path("secret/data/team-" + team + "/public*", READ);
            Policy policy = builder.build();
            if (policy.rules().size() != RULES_PER_POLICY) {
                throw new IllegalStateException("workload drifted: " + policy.rules().size() + " rules");
            }
            policies.add(policy);
        }
        return policies;
    }

    /** Request paths: exact hits, glob hits, '+' hits, denies and misses. */
    static String[] paths() {
        List<String> paths = new ArrayList<>();
        for (int team = 0; team < POLICIES + 2; team++) {
            for (int app = 0; app < 5; app++) {
                String base = "secret/data/team-" + team + "/app-" + app;
                paths.add(base + "/config");
                paths.add(base + "/db/password");
                paths.add(base + "/admin");
                paths.add(base + "/certs/server.pem");
                paths.add(base + "/tmp");
                paths.add("secret/data/x/shared/team-" + team);
                paths.add("secret/data/a/b/team-" + team + "/key");
                paths.add("secret/data/team-" + team + "/public-keys/" + app);
                paths.add("secret/metadata/team-" + team + "/app-" + app + "/");
                paths.add("kv/other/team-" + team + "/app-" + app);
            }
        }
        return paths.toArray(new String[0]);
    }

    /** Measures {@code checks} checks directly on an ACL and through the cache; returns a one-line summary. */
    static String measure(long checks) {
        List<Policy> policies = policies();
        Acl acl = Acl.compile(policies);
        List<String> names = new ArrayList<>();
        policies.forEach(policy -> names.add(policy.name()));
        AclCache cache = new AclCache(name -> policies.stream().filter(p -> p.name().equals(name)).findFirst());
        String[] paths = paths();
        Capability[] capabilities = {READ, READ, UPDATE, LIST, CREATE};
        Random random = new Random(42);
        int[] order = new int[1 << 16];
        for (int i = 0; i < order.length; i++) {
            order[i] = random.nextInt(paths.length);
        }

        long allowed = 0;
        long start = System.nanoTime();
        for (long i = 0; i < checks; i++) {
            String path = new String(paths[order[(int) (i & 0xffff)]]);
            if (acl.allowed(path, capabilities[(int) (i % capabilities.length)])) {
                allowed++;
            }
        }
        double direct = (System.nanoTime() - start) / (double) checks;

        start = System.nanoTime();
        for (long i = 0; i < checks; i++) {
            String path = new String(paths[order[(int) (i & 0xffff)]]);
            if (cache.acl(names).allowed(path, capabilities[(int) (i % capabilities.length)])) {
                allowed++;
            }
        }
        double cached = (System.nanoTime() - start) / (double) checks;

        long compiles = Math.max(1, checks / 1000);
        start = System.nanoTime();
        for (long i = 0; i < compiles; i++) {
            if (Acl.compile(policies).isRoot()) {
                allowed++;
            }
        }
        double compile = (System.nanoTime() - start) / 1e3 / compiles;

        return String.format("%d policies x %d rules, %d distinct paths: %.0f ns/check on a compiled ACL, "
                        + "%.0f ns/check with the cache lookup, %.1f us per compilation (%d%% allowed)",
                POLICIES, RULES_PER_POLICY, paths.length, direct, cached, compile, allowed * 100 / (2 * checks));
    }
}
