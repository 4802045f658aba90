package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHubExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Encryptions are counted per keyring term and the keyring rotates before a term's budget is spent (a budget of
 * 5 here, through the builder's non-API setting, instead of ~3.86 × 10^9).
 */
class KeyBudgetTest {

    static final long BUDGET = 5;

    @RegisterExtension
    static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(b -> b.encryptionsPerTerm(BUDGET));

    @Test
    void theKeyringRotatesBeforeATermExceedsItsBudgetAndKeyStatusCountsEncryptions(HubFixture fixture) {
        SecretHub hub = fixture.hub();
        String root = fixture.rootToken();
        KeyStatus start = hub.sys().keyStatus(root);
        assertThat(start.encryptions()).isLessThanOrEqualTo(BUDGET);
        int writes = 0;
        for (long i = start.encryptions(); i < BUDGET; i++) {
            hub.secrets().write(root, "budget/s" + writes, Map.of("k", "v" + writes));
            writes++;
        }
        KeyStatus full = hub.sys().keyStatus(root);
        assertThat(full.term()).isEqualTo(start.term());
        assertThat(full.encryptions()).isEqualTo(BUDGET);

        hub.secrets().write(root, "budget/s" + writes, Map.of("k", "v" + writes));
        writes++;
        KeyStatus rotated = hub.sys().keyStatus(root);
        assertThat(rotated.term()).as("rotated before the sixth encryption").isEqualTo(start.term() + 1);
        assertThat(rotated.encryptions()).isEqualTo(1);

        for (int i = 0; i < writes; i++) {
            assertThat(hub.secrets().read(root, "budget/s" + i).data()).containsEntry("k", "v" + i);
        }
        try (SecretHub other = fixture.newUnsealedInstance(b -> b.nodeName("other").encryptionsPerTerm(BUDGET))) {
            assertThat(other.sys().keyStatus(root)).as("the count is shared through the database")
                    .isEqualTo(new KeyStatus(rotated.term(), rotated.installTime(), 1));
        }
    }
}
