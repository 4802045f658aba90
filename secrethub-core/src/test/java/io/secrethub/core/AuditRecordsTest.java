package io.secrethub.core;

import io.secrethub.core.runtime.HubInternals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHubExtension;
import io.secrethub.core.token.IssuedToken;
import io.secrethub.core.token.TokenSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the audit log records, and that instances sharing a database chain into one log. */
class AuditRecordsTest {

    @RegisterExtension
    static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(b -> b.nodeName("first"));

    static SecretHub hub;
    static SecretHub second;
    static String root;

    @BeforeAll
    static void setUp(HubFixture fixture) {
        hub = fixture.hub();
        root = fixture.rootToken();
        second = fixture.newUnsealedInstance(8, b -> b.nodeName("second"));
        for (int i = 0; i < 10; i++) {
            hub.secrets().write(root, "audited/s" + i, Map.of("password", "p" + i));
            second.secrets().read(root, "audited/s" + i);
        }
    }

    @Test
    void successesDenialsAndErrorsAreRecordedWithoutSecrets() {
        IssuedToken limited = HubInternals.tokens(hub)
                .create(new TokenSpec(List.of("default"), "test", Duration.ofMinutes(5), null, null));
        long before = lastSequence();

        hub.secrets().read(root, "audited/s1");
        assertThatThrownBy(() -> hub.secrets().read(limited.token(), "audited/s1"))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> hub.secrets().read("shs.not-a-token", "audited/s1"))
                .isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> hub.secrets().read(root, "audited/missing")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> hub.secrets().read(root, "bad//path")).isInstanceOf(InvalidRequestException.class);

        List<AuditRecord> records = hub.audit().records(root, before + 1, 100);
        assertThat(records).extracting(AuditRecord::operation).containsOnly("secrets.read");
        assertThat(records).extracting(AuditRecord::outcome).containsExactly(AuditOutcome.SUCCESS, AuditOutcome.DENIED,
                AuditOutcome.DENIED, AuditOutcome.ERROR, AuditOutcome.ERROR);
        assertThat(records).extracting(AuditRecord::error).containsExactly(null, "PermissionDeniedException",
                "InvalidTokenException", "NotFoundException", "InvalidRequestException");
        assertThat(records).extracting(AuditRecord::path).containsExactly("audited/s1", "audited/s1", null,
                "audited/missing", null);
        assertThat(records.get(0).accessorHmac()).startsWith("hmac-sha256:");
        assertThat(records.get(1).accessorHmac()).isEqualTo(hub.audit().hashAccessor(root, limited.entry().accessor()))
                .isNotEqualTo(records.get(0).accessorHmac());
        assertThat(records.get(2).accessorHmac()).isNull();
        assertThat(records.get(0).detail()).isEqualTo("version=1");
        assertThat(records).extracting(AuditRecord::requestId).doesNotHaveDuplicates();
        assertThat(records).allSatisfy(r -> assertThat(r.toString()).doesNotContain("p1").doesNotContain(root));
        assertThat(records.get(0).node()).isEqualTo("first");
    }

    @Test
    void bothInstancesChainIntoOneGaplessLogUnderConcurrency() throws Exception {
        long before = lastSequence();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                SecretHub instance = i % 2 == 0 ? hub : second;
                int n = i;
                futures.add(pool.submit(() -> instance.secrets().read(root, "audited/s" + (n % 10))));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<AuditRecord> records = hub.audit().records(root, before + 1, 1000);
        assertThat(records).hasSize(400);
        for (int i = 0; i < records.size(); i++) {
            assertThat(records.get(i).sequence()).isEqualTo(before + 1 + i);
        }
        assertThat(records).extracting(AuditRecord::node).contains("first", "second");
        AuditVerification verification = second.audit().verify(root);
        assertThat(verification.intact()).as(verification.message()).isTrue();
        // the verification's own record follows what it checked
        assertThat(verification.recordsChecked()).isEqualTo(lastSequence() - 2);
    }

    @Test
    void readingTheLogIsRecordedRightAfterWhatWasRead() {
        List<AuditRecord> read = hub.audit().records(root, 1, 10_000);
        long readUpTo = read.get(read.size() - 1).sequence();
        AuditRecord reading = hub.audit().records(root, readUpTo + 1, 1).get(0);
        assertThat(reading.operation()).isEqualTo("sys.audit.records");
        assertThat(reading.outcome()).isEqualTo(AuditOutcome.SUCCESS);
        assertThat(reading.accessorHmac()).isEqualTo(hub.audit().hashAccessor(root,
                HubInternals.tokens(hub).lookup(root).orElseThrow().accessor()));
    }

    /** The sequence of the newest record: that of reading the log, which is recorded after what it read. */
    private static long lastSequence() {
        List<AuditRecord> all = hub.audit().records(root, 1, 10_000);
        AuditRecord last = all.get(all.size() - 1);
        return last.sequence() + 1;
    }
}
