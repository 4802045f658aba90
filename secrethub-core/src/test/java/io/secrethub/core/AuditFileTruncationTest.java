package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.AuditVerification.Problem;
import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHubExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13 item 4: deleting the newest audit records and rolling the head back is invisible to the database chain
 * alone once the instance that wrote them is gone; the file audit device makes a fresh instance see it.
 */
class AuditFileTruncationTest {

    private static final Path FILE = tempFile();

    @RegisterExtension
    static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(b -> b.auditFile(FILE));

    @Test
    void truncationWithARolledBackHeadIsReportedByAFreshInstanceAfterARestart(HubFixture fixture) throws Exception {
        SecretHub first = fixture.hub();
        String root = fixture.rootToken();
        for (int i = 0; i < 20; i++) {
            first.secrets().write(root, "truncated/s" + i, Map.of("k", "v" + i));
        }
        AuditVerification before = first.audit().verify(root);
        assertThat(before.intact()).as(before.message()).isTrue();
        first.close(); // the instance that wrote the records is gone: only the file remembers how far the log went

        long keep = headSequence(fixture) - 15;
        sql(fixture, "DELETE FROM audit_log WHERE seq > " + keep,
                "UPDATE audit_head SET seq = " + keep + ", hash = (SELECT hash FROM audit_log WHERE seq = " + keep + ")"
                        + " WHERE id = 1");

        SecretHub fresh = fixture.newUnsealedInstance(b -> b.auditFile(FILE));
        AuditVerification after = fresh.audit().verify(root);
        assertThat(after.intact()).as("a fresh instance with the file sees the cut").isFalse();
        assertThat(after.problem()).isEqualTo(Problem.DELETED);
        assertThat(after.message()).contains("audit file").contains("head rolled back");
        fresh.close();

        SecretHub withoutFile = fixture.newUnsealedInstance(b -> b);
        AuditVerification blind = withoutFile.audit().verify(root);
        assertThat(blind.intact()).as("the database chain alone cannot tell (why the file device exists): "
                + blind.message()).isTrue();
    }

    private static long headSequence(HubFixture fixture) throws SQLException {
        try (Connection c = fixture.dataSource().getConnection(); Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT seq FROM audit_head WHERE id = 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sql(HubFixture fixture, String... statements) throws SQLException {
        try (Connection c = fixture.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static Path tempFile() {
        try {
            return Files.createTempDirectory("secrethub-audit-file-").resolve("audit.log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
