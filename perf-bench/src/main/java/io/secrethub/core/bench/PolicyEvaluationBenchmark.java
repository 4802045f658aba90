package io.secrethub.core.bench;

import static io.secrethub.core.policy.Capability.CREATE;
import static io.secrethub.core.policy.Capability.DENY;
import static io.secrethub.core.policy.Capability.LIST;
import static io.secrethub.core.policy.Capability.READ;
import static io.secrethub.core.policy.Capability.UPDATE;

import io.secrethub.core.authz.Acl;
import io.secrethub.core.authz.AclCache;
import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a policy check costs for a token with 10 policies of 20 rules each (the target is at most 5 µs): on a
 * compiled ACL ({@link #compiledAcl()}), through the ACL cache as a request takes it ({@link #throughCache()}),
 * and compiling the ACL when the cache misses ({@link #compile()}). Run with {@code perf-bench/run.sh policy}.
 *
 * <p>The rules mix exact paths, globs, {@code +} segments and denies; the checked paths hit each kind and miss.
 * Paths are fresh strings per check, as request paths are, so their hash codes are not cached. The ACL types are
 * core internals, measured here on purpose.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PolicyEvaluationBenchmark {

    static final int POLICIES = 10;
    static final int RULES_PER_POLICY = 20;
    private static final Capability[] CAPABILITIES = {READ, READ, UPDATE, LIST, CREATE};

    private List<Policy> policies;
    private List<String> names;
    private Acl acl;
    private AclCache cache;
    private String[] paths;
    private int[] order;
    private long i;

    @Setup
    public void setUp() {
        policies = policies();
        names = policies.stream().map(Policy::name).toList();
        acl = Acl.compile(policies);
        checkTheWorkloadDecidesAsIntended(acl);
        cache = new AclCache(name -> policies.stream().filter(p -> p.name().equals(name)).findFirst());
        paths = paths();
        Random random = new Random(42);
        order = new int[1 << 16];
        for (int k = 0; k < order.length; k++) {
            order[k] = random.nextInt(paths.length);
        }
    }

    @Benchmark
    public boolean compiledAcl() {
        long n = i++;
        return acl.allowed(nextPath(n), CAPABILITIES[(int) (n % CAPABILITIES.length)]);
    }

    @Benchmark
    public boolean throughCache() {
        long n = i++;
        return cache.acl(names).allowed(nextPath(n), CAPABILITIES[(int) (n % CAPABILITIES.length)]);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Acl compile() {
        return Acl.compile(policies);
    }

    private String nextPath(long n) {
        return new String(paths[order[(int) (n & 0xffff)]]);
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

    /** Each kind of rule decides as meant, so the figures measure the mix they claim to. */
    static void checkTheWorkloadDecidesAsIntended(Acl acl) {
        expect(acl, "secret/data/team-3/app-1/config", UPDATE, true, "exact");
        expect(acl, "secret/data/team-3/app-1/db/password", READ, true, "glob");
        expect(acl, "secret/data/team-3/app-1/admin", READ, false, "exact deny");
        expect(acl, "secret/data/team-3/app-1/certs/server.pem", CREATE, false, "+ then glob, longer prefix wins");
        expect(acl, "secret/data/team-3/app-9/certs/server.pem", CREATE, true, "+ then glob");
        expect(acl, "secret/data/x/shared/team-3", READ, true, "+ exact");
        expect(acl, "secret/metadata/team-3/app-1/", LIST, true, "list");
        expect(acl, "secret/data/team-11/app-1/config", READ, false, "other team");
        expect(acl, "kv/other/team-3/app-1", READ, false, "miss");
    }

    private static void expect(Acl acl, String path, Capability capability, boolean allowed, String kind) {
        if (acl.allowed(path, capability) != allowed) {
            throw new IllegalStateException("workload drifted: " + kind + " " + capability + " on " + path
                    + " should be " + (allowed ? "allowed" : "denied"));
        }
    }
}
