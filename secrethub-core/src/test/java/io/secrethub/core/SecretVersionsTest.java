package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHubExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** KV v2 semantics: versions, check-and-set, soft delete, undelete, destroy, pruning, list, metadata. */
class SecretVersionsTest {

    @RegisterExtension
    static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(b -> b.defaultMaxVersions(5));

    static SecretHub hub;
    static String root;
    static DataSource db;

    @BeforeAll
    static void setUp(HubFixture fixture) {
        hub = fixture.hub();
        root = fixture.rootToken();
        db = fixture.dataSource();
    }

    @Test
    void writesMakeVersionsAndReadsFindThem() {
        assertThat(hub.secrets().write(root, "kv/basic", Map.of("a", "1")).version()).isEqualTo(1);
        Map<String, String> ordered = new java.util.LinkedHashMap<>();
        ordered.put("a", "2");
        ordered.put("b", "x");
        VersionMetadata second = hub.secrets().write(root, "kv/basic", ordered);
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.createdTime()).isNotNull();

        Secret latest = hub.secrets().read(root, "kv/basic");
        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.data()).as("keys keep the order they were written in")
                .containsExactly(Map.entry("a", "2"), Map.entry("b", "x"));
        assertThat(latest.createdTime()).isEqualTo(second.createdTime());
        assertThat(latest.toString()).doesNotContain("x\"").contains("keys=[a, b]");
        assertThat(hub.secrets().read(root, "kv/basic", 1).data()).containsExactly(Map.entry("a", "1"));
        assertThat(hub.secrets().read(root, "kv/basic", 0).version()).isEqualTo(2);
        assertThatThrownBy(() -> hub.secrets().read(root, "kv/basic", 3)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> hub.secrets().read(root, "kv/nothing")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> hub.secrets().read(root, "kv/basic", -1)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void emptyAndUnicodeDataRoundTrip() {
        hub.secrets().write(root, "kv/empty", Map.of());
        assertThat(hub.secrets().read(root, "kv/empty").data()).isEmpty();
        hub.secrets().write(root, "kv/unicode", Map.of("clé", "välue \"quoted\" \n ✓"));
        assertThat(hub.secrets().read(root, "kv/unicode").data()).containsEntry("clé", "välue \"quoted\" \n ✓");
    }

    @Test
    void checkAndSet() {
        assertThat(hub.secrets().write(root, "kv/cas", Map.of("v", "1"), WriteOptions.cas(0)).version()).isEqualTo(1);
        assertThatThrownBy(() -> hub.secrets().write(root, "kv/cas", Map.of("v", "x"), WriteOptions.cas(0)))
                .isInstanceOf(CheckAndSetException.class)
                        .hasMessageContaining("expected version 0, current version is 1");
        assertThat(hub.secrets().write(root, "kv/cas", Map.of("v", "2"), WriteOptions.cas(1)).version()).isEqualTo(2);
        assertThatThrownBy(() -> hub.secrets().write(root, "kv/cas", Map.of("v", "x"), WriteOptions.cas(1)))
                .isInstanceOf(CheckAndSetException.class);
        assertThatThrownBy(() -> hub.secrets().write(root, "kv/cas-absent", Map.of("v", "x"), WriteOptions.cas(3)))
                .isInstanceOf(CheckAndSetException.class);
        assertThatThrownBy(() -> hub.secrets().metadata(root, "kv/cas-absent"))
                .as("a refused write leaves nothing behind").isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> WriteOptions.cas(-1)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void casRequiredRefusesUnconditionalWrites() {
        hub.secrets().updateMetadata(root, "kv/strict", MetadataUpdate.none().withCasRequired(true));
        assertThatThrownBy(() -> hub.secrets().write(root, "kv/strict", Map.of("v", "1")))
                .isInstanceOf(CheckAndSetException.class).hasMessageContaining("required");
        assertThat(hub.secrets().write(root, "kv/strict", Map.of("v", "1"), WriteOptions.cas(0)).version())
                .isEqualTo(1);
    }

    @Test
    void softDeleteHidesAVersionAndUndeleteRestoresIt() {
        hub.secrets().write(root, "kv/del", Map.of("v", "1"));
        hub.secrets().write(root, "kv/del", Map.of("v", "2"));
        hub.secrets().delete(root, "kv/del");
        assertThatThrownBy(() -> hub.secrets().read(root, "kv/del"))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("deleted");
        assertThat(hub.secrets().read(root, "kv/del", 1).data()).containsEntry("v", "1");
        assertThat(hub.secrets().metadata(root, "kv/del").versions().get(1).deleted()).isTrue();

        hub.secrets().delete(root, "kv/del", 1);
        assertThatThrownBy(() -> hub.secrets().read(root, "kv/del", 1)).isInstanceOf(NotFoundException.class);
        hub.secrets().undelete(root, "kv/del", 1, 2, 99);
        assertThat(hub.secrets().read(root, "kv/del").data()).containsEntry("v", "2");
        assertThat(hub.secrets().read(root, "kv/del", 1).data()).containsEntry("v", "1");
        assertThatThrownBy(() -> hub.secrets().delete(root, "kv/none")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> hub.secrets().undelete(root, "kv/del")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void destroyRemovesTheDataForGood() throws SQLException {
        hub.secrets().write(root, "kv/destroy", Map.of("v", "1"));
        hub.secrets().write(root, "kv/destroy", Map.of("v", "2"));
        hub.secrets().destroy(root, "kv/destroy", 1);
        assertThat(storedCiphertext("kv/destroy", 1)).isNull();
        assertThat(storedCiphertext("kv/destroy", 2)).isNotNull();
        assertThatThrownBy(() -> hub.secrets().read(root, "kv/destroy", 1))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("destroyed");
        hub.secrets().undelete(root, "kv/destroy", 1);
        assertThatThrownBy(() -> hub.secrets().read(root, "kv/destroy", 1)).isInstanceOf(NotFoundException.class);
        VersionMetadata first = hub.secrets().metadata(root, "kv/destroy").versions().get(0);
        assertThat(first.destroyed()).isTrue();
        assertThat(hub.secrets().read(root, "kv/destroy").data()).containsEntry("v", "2");

        hub.secrets().deleteMetadata(root, "kv/destroy");
        assertThatThrownBy(() -> hub.secrets().metadata(root, "kv/destroy")).isInstanceOf(NotFoundException.class);
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM secret_versions v LEFT JOIN secret_metadata m ON m.id = v.secret_id WHERE m.id "
                        + "IS NULL");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat(rs.getInt(1)).as("no orphaned versions").isZero();
        }
    }

    @Test
    void theOldestVersionsArePrunedBeyondMaxVersions() throws SQLException {
        for (int i = 1; i <= 7; i++) {
            hub.secrets().write(root, "kv/pruned", Map.of("v", "" + i));
        }
        SecretMetadata metadata = hub.secrets().metadata(root, "kv/pruned");
        assertThat(metadata.currentVersion()).isEqualTo(7);
        assertThat(metadata.oldestVersion()).isEqualTo(3);
        assertThat(metadata.versions()).extracting(VersionMetadata::version).containsExactly(3, 4, 5, 6, 7);
        assertThat(storedCiphertext("kv/pruned", 2)).isNull();
        assertThatThrownBy(() -> hub.secrets().read(root, "kv/pruned", 2))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("pruned");

        SecretMetadata lowered = hub.secrets()
                .updateMetadata(root, "kv/pruned", MetadataUpdate.none().withMaxVersions(2));
        assertThat(lowered.maxVersions()).isEqualTo(2);
        assertThat(lowered.versions()).extracting(VersionMetadata::version).containsExactly(6, 7);
        hub.secrets().write(root, "kv/pruned", Map.of("v", "8"));
        assertThat(hub.secrets().metadata(root, "kv/pruned").versions()).extracting(VersionMetadata::version)
                .containsExactly(7, 8);
        assertThat(hub.secrets().read(root, "kv/pruned", 7).data()).containsEntry("v", "7");
    }

    @Test
    void listShowsDirectChildrenWithFoldersMarked() {
        for (String path : new String[] {"tree/a", "tree/b/c", "tree/b/d/e", "tree/b-x", "tree0", "treetop/x"}) {
            hub.secrets().write(root, path, Map.of("k", "v"));
        }
        assertThat(hub.secrets().list(root, "tree")).containsExactly("a", "b-x", "b/");
        assertThat(hub.secrets().list(root, "tree/")).containsExactly("a", "b-x", "b/");
        assertThat(hub.secrets().list(root, "tree/b")).containsExactly("c", "d/");
        assertThat(hub.secrets().list(root, "")).contains("tree/", "tree0", "treetop/", "kv/");
        assertThat(hub.secrets().list(root, "absent")).isEmpty();
        assertThatThrownBy(() -> hub.secrets().list(root, "/tree")).isInstanceOf(InvalidRequestException.class);
    }

    private static byte[] storedCiphertext(String path, int version) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT v.ciphertext FROM"
                + " secret_versions v JOIN secret_metadata m ON m.id = v.secret_id WHERE m.path = ? AND v.version = "
                        + "?")) {
            ps.setString(1, path);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }
}
