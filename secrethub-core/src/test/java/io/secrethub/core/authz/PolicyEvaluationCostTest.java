package io.secrethub.core.authz;

import static io.secrethub.core.policy.Capability.CREATE;
import static io.secrethub.core.policy.Capability.LIST;
import static io.secrethub.core.policy.Capability.READ;
import static io.secrethub.core.policy.Capability.UPDATE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Checks the benchmark workload decides as intended, then prints its cost. The figure is printed,
 * never asserted: timing assertions make unit tests flaky.
 */
class PolicyEvaluationCostTest {

    @Test
    void benchmarkWorkloadDecidesAsIntended() {
        Acl acl = Acl.compile(PolicyEvaluationBenchmark.policies());

        assertThat(acl.allowed("secret/data/team-3/app-1/config", UPDATE)).as("exact").isTrue();
        assertThat(acl.allowed("secret/data/team-3/app-1/db/password", READ)).as("glob").isTrue();
        assertThat(acl.allowed("secret/data/team-3/app-1/admin", READ)).as("exact deny").isFalse();
        assertThat(acl.allowed("secret/data/team-3/app-1/certs/server.pem", CREATE)).as("+ then glob").isFalse();
        assertThat(acl.allowed("secret/data/team-3/app-9/certs/server.pem", CREATE)).as("+ then glob").isTrue();
        assertThat(acl.allowed("secret/data/x/shared/team-3", READ)).as("+ exact").isTrue();
        assertThat(acl.allowed("secret/metadata/team-3/app-1/", LIST)).as("list").isTrue();
        assertThat(acl.allowed("secret/data/team-11/app-1/config", READ)).as("other team").isFalse();
        assertThat(acl.allowed("kv/other/team-3/app-1", READ)).as("miss").isFalse();
    }

    @Test
    void printsThePerCheckCost() {
        PolicyEvaluationBenchmark.measure(200_000);
        System.out.println("[policy benchmark] " + PolicyEvaluationBenchmark.measure(1_000_000));
    }
}
