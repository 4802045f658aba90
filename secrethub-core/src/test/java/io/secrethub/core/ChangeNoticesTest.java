package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHubExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link Secrets#changeNotices}: one load for many subscribers, each authorized as for a read and audited on its
 * own; refused subscribers get nothing; a tampered version is refused rather than announced.
 */
class ChangeNoticesTest {

    @RegisterExtension
    static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(b -> b.nodeName("notices"));

    static HubFixture fixture;
    static SecretHub hub;
    static String root;

    @BeforeAll
    static void setUp(HubFixture hubFixture) {
        fixture = hubFixture;
        hub = fixture.hub();
        root = fixture.rootToken();
        hub.policies().write(root, Policy.builder("notice-reader").path("secret/data/notice/*", Capability.READ)
                .build());
    }

    @Test
    void eachSubscriberIsAuthorizedAndAuditedAndOnlyAllowedOnesAreTold() {
        String path = "notice/one";
        hub.secrets().write(root, path, Map.of("v", "1"));
        hub.secrets().write(root, path, Map.of("v", "2"));
        String reader = hub.auth().tokens().create(root, List.of("notice-reader"), Duration.ofHours(1), "r").token();
        String stranger = hub.auth().tokens().create(root, List.of("default"), Duration.ofHours(1), "s").token();
        long before = last();
        List<VersionMetadata> told = hub.secrets().changeNotices(path, List.of(
                new SecretSubscriber(reader, "10.0.0.1"), new SecretSubscriber(stranger, "10.0.0.2"),
                new SecretSubscriber("shs.not-a-token", "10.0.0.3"), new SecretSubscriber(root, null)));
        assertThat(told).hasSize(4);
        assertThat(told.get(0).version()).isEqualTo(2);
        assertThat(told.get(1)).as("no read capability").isNull();
        assertThat(told.get(2)).as("invalid token").isNull();
        assertThat(told.get(3).version()).isEqualTo(2);

        List<AuditRecord> records = hub.audit().records(root, before + 1, 1000).stream()
                .filter(r -> r.operation().equals("secrets.change-notice")).toList();
        assertThat(records).extracting(AuditRecord::clientAddress, AuditRecord::outcome).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("10.0.0.1", AuditOutcome.SUCCESS),
                org.assertj.core.groups.Tuple.tuple("10.0.0.2", AuditOutcome.DENIED),
                org.assertj.core.groups.Tuple.tuple("10.0.0.3", AuditOutcome.DENIED),
                org.assertj.core.groups.Tuple.tuple(null, AuditOutcome.SUCCESS));
    }

    @Test
    void latestVersionsTellsEachPathsLatestVersionFromTheDatabaseWithoutAToken() {
        hub.secrets().write(root, "notice/latest/a", Map.of("v", "1"));
        hub.secrets().write(root, "notice/latest/a", Map.of("v", "2"));
        hub.secrets().write(root, "notice/latest/deleted", Map.of("v", "1"));
        hub.secrets().delete(root, "notice/latest/deleted");
        hub.secrets().write(root, "notice/latest/destroyed", Map.of("v", "1"));
        hub.secrets().destroy(root, "notice/latest/destroyed", 1);
        long before = last();

        Map<String, VersionMetadata> latest = hub.secrets().latestVersions(List.of("notice/latest/a",
                "notice/latest/deleted", "notice/latest/destroyed", "notice/latest/never"));
        assertThat(latest).containsOnlyKeys("notice/latest/a", "notice/latest/deleted", "notice/latest/destroyed");
        assertThat(latest.get("notice/latest/a").version()).isEqualTo(2);
        assertThat(latest.get("notice/latest/a").deleted()).isFalse();
        assertThat(latest.get("notice/latest/deleted").deleted()).isTrue();
        assertThat(latest.get("notice/latest/destroyed").destroyed()).isTrue();
        assertThat(hub.audit().records(root, before + 1, 10_000)).as("metadata only: not audited")
                .noneSatisfy(r -> assertThat(r.path()).startsWith("notice/latest"));

        assertThatThrownBy(() -> hub.secrets().latestVersions(List.of("notice/../escape")))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(hub.secrets().latestVersions(List.of())).isEmpty();
    }

    @Test
    void deletedDestroyedAndGonePathsAreToldAsSuch() {
        String path = "notice/gone";
        hub.secrets().write(root, path, Map.of("v", "1"));
        hub.secrets().delete(root, path);
        VersionMetadata deleted = hub.secrets().changeNotices(path, List.of(new SecretSubscriber(root, null))).get(0);
        assertThat(deleted.version()).isEqualTo(1);
        assertThat(deleted.deleted()).isTrue();
        hub.secrets().destroy(root, path, 1);
        assertThat(hub.secrets().changeNotices(path, List.of(new SecretSubscriber(root, null))).get(0).destroyed())
                .isTrue();
        hub.secrets().deleteMetadata(root, path);
        assertThat(hub.secrets().changeNotices(path, List.of(new SecretSubscriber(root, null))).get(0).version())
                .isZero();
    }

    @Test
    void aTamperedVersionIsRefusedNotAnnounced() throws Exception {
        String path = "notice/tampered";
        hub.secrets().write(root, path, Map.of("v", "1"));
        try (Connection c = fixture.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE secret_versions SET ciphertext = ? WHERE secret_id = (SELECT id FROM secret_metadata"
                        + " WHERE path = ?)")) {
            byte[] garbage = new byte[64];
            Arrays.fill(garbage, (byte) 7);
            ps.setBytes(1, garbage);
            ps.setString(2, path);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        io.secrethub.core.runtime.HubInternals.secretCache(hub).invalidate(path);
        assertThatThrownBy(() -> hub.secrets().changeNotices(path, List.of(new SecretSubscriber(root, null))))
                .isInstanceOf(SecretHubException.class);
    }

    private static long last() {
        long last = 0;
        while (true) {
            List<AuditRecord> page = hub.audit().records(root, last + 1, 10_000);
            if (page.isEmpty()) {
                return last;
            }
            last = page.get(page.size() - 1).sequence();
            if (page.size() < 10_000) {
                return last; // (each call to records() is audited too: never wait for an empty page)
            }
        }
    }
}
