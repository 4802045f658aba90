package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHub;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stored ciphertexts are authenticated and bound to their row: altered or moved, they do not decrypt. */
@UnsealedHub
class CiphertextIntegrityTest {

    static SecretHub hub;
    static String root;
    static DataSource db;

    @BeforeAll
    static void setUp(HubFixture fixture) {
        hub = fixture.hub();
        root = fixture.rootToken();
        db = fixture.dataSource();
    }

    @ParameterizedTest(name = "byte {0} flipped")
    @ValueSource(ints = {0, 3, 4, 15, 16, 20, -1})
    void aFlippedByteFailsDecryption(int index) throws SQLException {
        String path = "flip/b" + (index < 0 ? "last" : index);
        hub.secrets().write(root, path, Map.of("password", "correct horse"));
        byte[] ciphertext = ciphertext(path, 1);
        int at = index < 0 ? ciphertext.length - 1 : index;
        ciphertext[at] ^= 0x40;
        store(path, 1, ciphertext);
        assertThatThrownBy(() -> hub.secrets().read(root, path))
                .isInstanceOf(IntegrityException.class)
                .hasMessageNotContaining("correct horse");
    }

    @Test
    void aCiphertextMovedToAnotherPathFailsDecryption() throws SQLException {
        hub.secrets().write(root, "move/source", Map.of("password", "source value"));
        hub.secrets().write(root, "move/target", Map.of("password", "target value"));
        store("move/target", 1, ciphertext("move/source", 1));
        assertThatThrownBy(() -> hub.secrets().read(root, "move/target")).isInstanceOf(IntegrityException.class);
        assertThat(hub.secrets().read(root, "move/source").data()).containsEntry("password", "source value");
    }

    @Test
    void aCiphertextMovedToAnotherVersionFailsDecryption() throws SQLException {
        hub.secrets().write(root, "move/versions", Map.of("password", "one"));
        hub.secrets().write(root, "move/versions", Map.of("password", "two"));
        store("move/versions", 2, ciphertext("move/versions", 1));
        assertThatThrownBy(() -> hub.secrets().read(root, "move/versions")).isInstanceOf(IntegrityException.class);
        assertThat(hub.secrets().read(root, "move/versions", 1).data()).containsEntry("password", "one");
    }

    @Test
    void aCiphertextOfADeletedAndRecreatedPathDoesNotComeBack() throws SQLException {
        hub.secrets().write(root, "move/reborn", Map.of("password", "old life"));
        byte[] old = ciphertext("move/reborn", 1);
        hub.secrets().deleteMetadata(root, "move/reborn");
        hub.secrets().write(root, "move/reborn", Map.of("password", "new life"));
        store("move/reborn", 1, old);
        assertThatThrownBy(() -> hub.secrets().read(root, "move/reborn")).isInstanceOf(IntegrityException.class);
    }

    @Test
    void aFailedDecryptionIsAuditedAsAnError() throws SQLException {
        hub.secrets().write(root, "flip/audited", Map.of("k", "v"));
        byte[] ciphertext = ciphertext("flip/audited", 1);
        ciphertext[ciphertext.length - 5] ^= 1;
        store("flip/audited", 1, ciphertext);
        assertThatThrownBy(() -> hub.secrets().read(root, "flip/audited")).isInstanceOf(IntegrityException.class);
        var records = hub.audit().records(root, 1, 10_000);
        AuditRecord last = records.get(records.size() - 1);
        assertThat(last.operation()).isEqualTo("secrets.read");
        assertThat(last.path()).isEqualTo("flip/audited");
        assertThat(last.outcome()).isEqualTo(AuditOutcome.ERROR);
        assertThat(last.error()).isEqualTo("IntegrityException");
    }

    static byte[] ciphertext(String path, int version) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT v.ciphertext FROM"
                + " secret_versions v JOIN secret_metadata m ON m.id = v.secret_id WHERE m.path = ? AND v.version = "
                        + "?")) {
            ps.setString(1, path);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBytes(1);
            }
        }
    }

    static void store(String path, int version, byte[] ciphertext) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE secret_versions v"
                + " SET ciphertext = ? FROM secret_metadata m WHERE m.id = v.secret_id AND m.path = ? AND v.version = "
                        + "?")) {
            ps.setBytes(1, ciphertext);
            ps.setString(2, path);
            ps.setInt(3, version);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }
}
