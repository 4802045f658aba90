package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHub;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@UnsealedHub
class KeyRotationTest {

    static SecretHub first;
    static SecretHub second;
    static InitResult init;
    static DataSource db;

    @BeforeAll
    static void twoInstancesOnOneDatabase(HubFixture fixture) {
        first = fixture.hub();
        init = fixture.init();
        db = fixture.dataSource();
        second = fixture.newInstance(8, b -> b.nodeName("second"));
        assertThat(second.sys().status().sealed()).as("each instance is unsealed on its own").isTrue();
        fixture.unseal(second);
    }

    @Test
    void rotationAddsATermAndOldTermsKeepDecrypting() throws SQLException {
        String root = init.rootToken();
        int before = first.sys().keyStatus(root).term();
        first.secrets().write(root, "rot/a", Map.of("v", "written under the old term"));

        KeyStatus rotated = first.sys().rotate(root);
        assertThat(rotated.term()).isEqualTo(before + 1);
        first.secrets().write(root, "rot/b", Map.of("v", "written under the new term"));

        assertThat(termOf("rot/a", 1)).isEqualTo(before);
        assertThat(termOf("rot/b", 1)).isEqualTo(rotated.term());
        assertThat(first.secrets().read(root, "rot/a").data()).containsEntry("v", "written under the old term");
        assertThat(first.secrets().read(root, "rot/b").data()).containsEntry("v", "written under the new term");

        // the second instance meets a term it does not know yet, loads it, and decrypts
        assertThat(second.secrets().read(root, "rot/b").data()).containsEntry("v", "written under the new term");
        assertThat(second.secrets().read(root, "rot/a").data()).containsEntry("v", "written under the old term");
        assertThat(second.sys().keyStatus(root).term()).isEqualTo(rotated.term());
        second.secrets().write(root, "rot/c", Map.of("v", "second writes"));
        assertThat(termOf("rot/c", 1)).as("the second instance encrypts with the newest term it knows")
                .isEqualTo(rotated.term());
    }

    @Test
    void rotationsOnBothInstancesNeverCollide() {
        String root = init.rootToken();
        int a = first.sys().rotate(root).term();
        int b = second.sys().rotate(root).term();
        int c = first.sys().rotate(root).term();
        assertThat(b).isEqualTo(a + 1);
        assertThat(c).isEqualTo(b + 1);
        first.secrets().write(root, "rot/d", Map.of("v", "d"));
        assertThat(second.secrets().read(root, "rot/d").data()).containsEntry("v", "d");
    }

    @Test
    void rotationIsAudited() {
        String root = init.rootToken();
        first.sys().rotate(root);
        assertThat(first.audit().records(root, 1, 10_000)).anySatisfy(r -> {
            assertThat(r.operation()).isEqualTo("sys.rotate");
            assertThat(r.outcome()).isEqualTo(AuditOutcome.SUCCESS);
            assertThat(r.detail()).startsWith("term=");
        });
    }

    private static int termOf(String path, int version) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT v.ciphertext FROM"
                + " secret_versions v JOIN secret_metadata m ON m.id = v.secret_id WHERE m.path = ? AND v.version = "
                        + "?")) {
            ps.setString(1, path);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return ByteBuffer.wrap(rs.getBytes(1), 0, 4).getInt();
            }
        }
    }
}
