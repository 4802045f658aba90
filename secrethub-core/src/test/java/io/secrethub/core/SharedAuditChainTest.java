package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHubExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two instances appending to one audit chain at the same time. Each writer appends optimistically from the head
 * it last saw; when the other instance got there first it must notice, relink under the head's lock and lose
 * nothing, so the chain ends gapless, intact and holding every call of both.
 */
class SharedAuditChainTest {

    private static final int THREADS_PER_INSTANCE = 8;
    private static final int WRITES_PER_THREAD = 40;

    @RegisterExtension
    static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(b -> b.nodeName("first")).poolSize(12);

    @Test
    void concurrentInstancesChainEveryRecordIntoOneIntactLog(HubFixture fixture) throws Exception {
        String root = fixture.rootToken();
        try (SecretHub first = fixture.hub();
                SecretHub second = fixture.newUnsealedInstance(12, b -> b.nodeName("second"))) {
            long before = first.audit().verify(root).recordsChecked() + 1; // the verification is recorded too

            ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_INSTANCE);
            try {
                List<Future<?>> calls = new ArrayList<>();
                for (int t = 0; t < THREADS_PER_INSTANCE; t++) {
                    for (SecretHub hub : List.of(first, second)) {
                        String path = "shared/" + hub.node() + "-" + t;
                        calls.add(pool.submit(() -> {
                            for (int i = 0; i < WRITES_PER_THREAD; i++) {
                                hub.secrets().write(root, path, Map.of("i", Integer.toString(i)));
                            }
                            return null;
                        }));
                    }
                }
                for (Future<?> call : calls) {
                    call.get();
                }
            } finally {
                pool.shutdownNow();
            }

            AuditVerification verification = second.audit().verify(root);
            assertThat(verification.intact()).as(verification.message()).isTrue();
            assertThat(verification.recordsChecked() - before)
                    .as("records appended by both instances")
                    .isEqualTo(2L * THREADS_PER_INSTANCE * WRITES_PER_THREAD);
            assertThat(first.auditStats().records()).isPositive();
            assertThat(second.auditStats().records()).isPositive();
        }
    }
}
