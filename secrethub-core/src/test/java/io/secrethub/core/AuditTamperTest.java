package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.AuditVerification.Problem;
import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHubExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code verify()} catches every kind of tampering and names the first record affected. The tests here
 * only read, so that restoring the log from a backup after each test undoes exactly the tampering.
 */
class AuditTamperTest {

    @RegisterExtension
    static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(b -> b.nodeName("first"));

    static SecretHub hub;
    static SecretHub second;
    static String root;
    static DataSource db;
    static HubFixture fixture;

    @BeforeAll
    static void setUp(HubFixture hubFixture) {
        fixture = hubFixture;
        hub = fixture.hub();
        root = fixture.rootToken();
        db = fixture.dataSource();
        second = fixture.newUnsealedInstance(8, b -> b.nodeName("second"));
        for (int i = 0; i < 10; i++) {
            second.secrets().write(root, "audited/s" + i, Map.of("password", "p" + i));
            hub.secrets().read(root, "audited/s" + i); // the last record is this instance's
        }
    }

    /** Each test starts from an intact log and restores it: tampering is undone through a backup. */
    @BeforeEach
    void backUp() throws SQLException {
        AuditVerification v = hub.audit().verify(root);
        assertThat(v.intact()).as(v.message()).isTrue();
        sql("DROP TABLE IF EXISTS audit_backup", "CREATE TABLE audit_backup AS SELECT * FROM audit_log",
                "DROP TABLE IF EXISTS audit_head_backup", "CREATE TABLE audit_head_backup AS SELECT * FROM audit_head");
    }

    @AfterEach
    void restore() throws SQLException {
        sql("DELETE FROM audit_log", "INSERT INTO audit_log SELECT * FROM audit_backup",
                "UPDATE audit_head h SET seq = b.seq, hash = b.hash FROM audit_head_backup b",
                "DROP TABLE audit_backup", "DROP TABLE audit_head_backup");
        AuditVerification v = hub.audit().verify(root);
        assertThat(v.intact()).as(v.message()).isTrue();
    }

    @Test
    void anEditedRecordIsNamed() throws SQLException {
        sql("UPDATE audit_log SET path = 'audited/other' WHERE seq = 7");
        assertBroken(7, Problem.EDITED);
    }

    @Test
    void anEditedOutcomeIsNamed() throws SQLException {
        sql("UPDATE audit_log SET outcome = 'DENIED' WHERE seq = 12");
        assertBroken(12, Problem.EDITED);
    }

    @Test
    void anEditedHashIsNamed() throws SQLException {
        sql("UPDATE audit_log SET hash = sha256(hash) WHERE seq = 9");
        assertBroken(9, Problem.EDITED);
    }

    @Test
    void aDeletedRecordIsNamed() throws SQLException {
        sql("DELETE FROM audit_log WHERE seq = 5");
        assertBroken(5, Problem.DELETED);
    }

    @Test
    void aDeletedLastRecordIsNamed() throws SQLException {
        long last = lastSequence();
        sql("DELETE FROM audit_log WHERE seq = " + last);
        assertBroken(last, Problem.DELETED);
    }

    @Test
    void aCutTailWithARolledBackHeadIsCaughtByTheInstanceThatWroteIt() throws SQLException {
        long last = lastSequence();
        sql("DELETE FROM audit_log WHERE seq > " + (last - 3),
                "UPDATE audit_head SET seq = a.seq, hash = a.hash FROM audit_log a WHERE a.seq = " + (last - 3));
        AuditVerification v = hub.audit().verify(root);
        assertThat(v.intact()).isFalse();
        assertThat(v.problem()).isEqualTo(Problem.DELETED);
    }

    @Test
    void swappedRecordsAreNamed() throws SQLException {
        sql("UPDATE audit_log SET seq = -1 WHERE seq = 10", "UPDATE audit_log SET seq = 10 WHERE seq = 11",
                "UPDATE audit_log SET seq = 11 WHERE seq = -1");
        assertBroken(10, Problem.REORDERED);
    }

    @Test
    void anInsertedRecordIsNamed() throws SQLException {
        // a forged copy of record 4 inserted at 5, everything after renumbered
        sql("UPDATE audit_log SET seq = -seq WHERE seq >= 5", "UPDATE audit_log SET seq = -seq + 1 WHERE seq < 0",
                "INSERT INTO audit_log SELECT 5, recorded_at, node, gen_random_uuid(), operation, path, accessor_hmac,"
                        + " client_address, outcome, error, detail, hash FROM audit_log WHERE seq = 4",
                "UPDATE audit_head SET seq = seq + 1");
        assertBroken(5, Problem.INSERTED);
    }

    @Test
    void aRecordAppendedBehindTheChainsBackIsNamed() throws SQLException {
        long last = lastSequence();
        sql("INSERT INTO audit_log SELECT seq + 1, recorded_at, node, request_id, operation, path, accessor_hmac,"
                + " client_address, outcome, error, detail, hash FROM audit_log WHERE seq = " + last);
        assertBroken(last + 1, Problem.INSERTED);
    }

    /**
     * Verifies through a fresh instance: verifying is itself recorded, and the restore after each test rolls the
     * log back past that record, which the instance that wrote it would (rightly) report as a cut tail.
     */
    private static void assertBroken(long sequence, Problem problem) {
        AuditVerification v;
        try (SecretHub fresh = fixture.newUnsealedInstance(b -> b.nodeName("checker"))) {
            v = fresh.audit().verify(root);
        }
        assertThat(v.intact()).isFalse();
        assertThat(v.firstInvalidSequence()).hasValue(sequence);
        assertThat(v.problem()).as(v.message()).isEqualTo(problem);
        assertThat(v.message()).contains(String.valueOf(sequence));
    }

    /** The newest record, read behind the hub's back (reading through the hub would add one). */
    private static long lastSequence() throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT max(seq) FROM audit_log")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
