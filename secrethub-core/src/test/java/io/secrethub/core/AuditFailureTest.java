package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHubExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fail closed: when the audit log cannot take a record, reads return no secret and writes are
 * neither acknowledged nor kept.
 */
class AuditFailureTest {

    @RegisterExtension
    static final UnsealedHubExtension HUB =
            UnsealedHubExtension.withSettings(b -> b.auditTimeout(Duration.ofSeconds(3)));

    static SecretHub hub;
    static String root;
    static DataSource db;

    @BeforeAll
    static void setUp(HubFixture fixture) {
        hub = fixture.hub();
        root = fixture.rootToken();
        db = fixture.dataSource();
        hub.secrets().write(root, "guarded/db", Map.of("password", "v1"));
    }

    @AfterEach
    void repairTheAuditStore() throws SQLException {
        sql("ALTER TABLE IF EXISTS audit_log_gone RENAME TO audit_log",
                "DROP TRIGGER IF EXISTS audit_broken ON audit_log");
        // the store works again, and the failed batches left no gap in the chain
        hub.secrets().read(root, "guarded/db");
        AuditVerification v = hub.audit().verify(root);
        assertThat(v.intact()).as(v.message()).isTrue();
    }

    @Test
    void aReadReturnsNoSecretWhenTheAuditTableIsGone() throws SQLException {
        sql("ALTER TABLE audit_log RENAME TO audit_log_gone");
        AtomicReference<Secret> leaked = new AtomicReference<>();
        assertThatThrownBy(() -> leaked.set(hub.secrets().read(root, "guarded/db")))
                .isInstanceOf(AuditUnavailableException.class)
                .hasMessageContaining("audit log unavailable")
                .hasMessageNotContaining("v1");
        assertThat(leaked.get()).isNull();
    }

    @Test
    void aWriteIsNotAcknowledgedNorKeptWhenAuditInsertsFail() throws SQLException {
        sql("CREATE OR REPLACE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $$ BEGIN RAISE EXCEPTION 'audit store refuses writes'; END $$",
                "CREATE TRIGGER audit_broken BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_audit()");
        assertThatThrownBy(() -> hub.secrets().write(root, "guarded/db", Map.of("password", "v2")))
                .isInstanceOf(AuditUnavailableException.class);
        assertThatThrownBy(() -> hub.secrets().write(root, "guarded/new", Map.of("password", "n1")))
                .isInstanceOf(AuditUnavailableException.class);
        assertThatThrownBy(() -> hub.sys().rotate(root)).isInstanceOf(AuditUnavailableException.class);
        int term = termBefore();
        sql("DROP TRIGGER audit_broken ON audit_log");

        Secret current = hub.secrets().read(root, "guarded/db");
        assertThat(current.version()).as("the unacknowledged write was rolled back").isEqualTo(1);
        assertThat(current.data()).containsEntry("password", "v1");
        assertThatThrownBy(() -> hub.secrets().read(root, "guarded/new")).isInstanceOf(NotFoundException.class);
        assertThat(hub.sys().keyStatus(root).term()).as("the unaudited rotation was rolled back").isEqualTo(term);
    }

    @Test
    void aTokenRevocationWhoseRecordCannotBeWrittenIsRolledBack(HubFixture fixture) throws SQLException {
        LoginResult other = fixture.login(Duration.ofMinutes(5), Duration.ofMinutes(10));
        LoginResult self = fixture.login(Duration.ofMinutes(5), Duration.ofMinutes(10));
        sql("ALTER TABLE audit_log RENAME TO audit_log_gone");
        assertThatThrownBy(() -> hub.auth().tokens().revoke(root, other.accessor()))
                .isInstanceOf(AuditUnavailableException.class);
        assertThatThrownBy(() -> hub.auth().tokens().revokeSelf(self.token()))
                .isInstanceOf(AuditUnavailableException.class);
        sql("ALTER TABLE audit_log_gone RENAME TO audit_log");
        assertThat(hub.auth().tokens().lookup(other.token()).accessor()).as("not revoked without a record")
                .isEqualTo(other.accessor());
        assertThat(hub.auth().tokens().lookup(self.token()).accessor()).isEqualTo(self.accessor());
        hub.auth().tokens().revoke(root, other.accessor());
        assertThat(hub.audit().records(root, 1, 10_000)).anySatisfy(r -> {
            assertThat(r.operation()).isEqualTo("auth.token.revoke-accessor");
            assertThat(r.detail()).isEqualTo("revoked=1");
        });
    }

    @Test
    void aChangeNoticeThatCannotBeAuditedTellsNobodyAndSaysSo() throws SQLException {
        var subscribers = java.util.List.of(new SecretSubscriber(root, "10.0.0.1"),
                new SecretSubscriber("shs.not-a-token", "10.0.0.2"));
        assertThat(hub.secrets().changeNotices("guarded/db", subscribers)).as("while the audit log works")
                .satisfiesExactly(allowed -> assertThat(allowed.version()).isEqualTo(1),
                        refused -> assertThat(refused).isNull());
        sql("ALTER TABLE audit_log RENAME TO audit_log_gone");
        // not nulls, which would read as "may not be told" and lose the push for good: the pusher tries again
        assertThatThrownBy(() -> hub.secrets().changeNotices("guarded/db", subscribers))
                .isInstanceOf(AuditUnavailableException.class);
    }

    @Test
    void denialsAlsoFailClosed() throws SQLException {
        sql("ALTER TABLE audit_log RENAME TO audit_log_gone");
        assertThatThrownBy(() -> hub.secrets().read("shs.wrong", "guarded/db"))
                .isInstanceOf(AuditUnavailableException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).hasAtLeastOneElementOfType(InvalidTokenException.class));
    }

    private static int termBefore() throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT max(term) FROM keyring")) {
            rs.next();
            return rs.getInt(1);
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
