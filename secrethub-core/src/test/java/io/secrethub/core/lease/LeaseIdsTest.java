package io.secrethub.core.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Lease ids: valid, unique, under their path, and in the order they were issued within it (for leases_pkey). */
class LeaseIdsTest {

    @Test
    void idsAreValidUniqueAndUnderTheirPath() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = LeaseIds.newId("auth/approle/login");
            assertThat(LeaseIds.validate(id)).startsWith("auth/approle/login/");
            assertThat(id).hasSize("auth/approle/login/".length() + 11 + 22);
            assertThat(ids.add(id)).isTrue();
        }
    }

    /** String order is PostgreSQL's {@code COLLATE "C"} order for these ASCII ids. */
    @Test
    void idsSortByTheTimeTheyWereIssuedWithinAPath() {
        long now = 1_767_225_600_000L; // 2026-01-01
        String earlier = LeaseIds.newId("auth/token/create", now);
        String sameMillisecond = LeaseIds.newId("auth/token/create", now);
        String later = LeaseIds.newId("auth/token/create", now + 1);
        String muchLater = LeaseIds.newId("auth/token/create", now + 365L * 24 * 3600 * 1000);
        assertThat(earlier).isLessThan(later).startsWith("auth/token/create/19b76daa800");
        assertThat(sameMillisecond).isLessThan(later);
        assertThat(later).isLessThan(muchLater);
        assertThat(LeaseIds.newId("p", 0)).startsWith("p/00000000000");
    }
}
