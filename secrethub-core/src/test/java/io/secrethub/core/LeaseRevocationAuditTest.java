package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHubExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lease revocations write their audit record in the same transaction as the change (issue 13 item 11): a revocation
 * whose record cannot be written does not happen, and one that happens has its record.
 */
class LeaseRevocationAuditTest {

    @RegisterExtension
    static final UnsealedHubExtension HUB =
            UnsealedHubExtension.withSettings(b -> b.auditTimeout(Duration.ofSeconds(3)));

    static HubFixture fixture;
    static SecretHub hub;
    static String root;
    static DataSource db;

    @BeforeAll
    static void setUp(HubFixture hubFixture) {
        fixture = hubFixture;
        hub = fixture.hub();
        root = fixture.rootToken();
        db = fixture.dataSource();
    }

    @AfterEach
    void repairTheAuditStore() throws SQLException {
        sql("ALTER TABLE IF EXISTS audit_log_gone RENAME TO audit_log");
        AuditVerification v = hub.audit().verify(root);
        assertThat(v.intact()).as(v.message()).isTrue();
    }

    @Test
    void aLeaseRevocationWhoseRecordCannotBeWrittenDoesNotHappen() throws SQLException {
        LoginResult login = fixture.login(Duration.ofMinutes(5), Duration.ofMinutes(10));
        sql("ALTER TABLE audit_log RENAME TO audit_log_gone");
        assertThatThrownBy(() -> hub.leases().revoke(root, login.leaseId()))
                .isInstanceOf(AuditUnavailableException.class);
        sql("ALTER TABLE audit_log_gone RENAME TO audit_log");

        assertThat(hub.leases().lookup(root, login.leaseId()).state()).as("not revoked without a record")
                .isEqualTo(LeaseState.ACTIVE);
        assertThat(hub.auth().tokens().lookup(login.token()).accessor()).isEqualTo(login.accessor());

        hub.leases().revoke(root, login.leaseId());
        assertThat(hub.leases().lookup(root, login.leaseId()).state()).isEqualTo(LeaseState.REVOKED);
        assertThat(hub.audit().records(root, 1, 10_000)).anySatisfy(r -> {
            assertThat(r.operation()).isEqualTo("sys.leases.revoke");
            assertThat(r.path()).isEqualTo(login.leaseId());
            assertThat(r.outcome()).isEqualTo(AuditOutcome.SUCCESS);
        });
    }

    @Test
    void aRevokePrefixWhoseRecordCannotBeWrittenQueuesNothing() throws SQLException {
        LoginResult login = fixture.login(Duration.ofMinutes(5), Duration.ofMinutes(10));
        sql("ALTER TABLE audit_log RENAME TO audit_log_gone");
        assertThatThrownBy(() -> hub.leases().revokePrefix(root, login.leaseId()))
                .isInstanceOf(AuditUnavailableException.class);
        sql("ALTER TABLE audit_log_gone RENAME TO audit_log");
        assertThat(hub.leases().lookup(root, login.leaseId()).state()).isEqualTo(LeaseState.ACTIVE);
        assertThat(hub.auth().tokens().lookup(login.token()).accessor()).isEqualTo(login.accessor());
    }

    @Test
    void aTokenRevokedByTheTokenItselfIsAuditedInItsTransaction() throws SQLException {
        LoginResult login = fixture.login(Duration.ofMinutes(5), Duration.ofMinutes(10));
        sql("ALTER TABLE audit_log RENAME TO audit_log_gone");
        assertThatThrownBy(() -> hub.auth().tokens().revokeToken(root, login.token()))
                .isInstanceOf(AuditUnavailableException.class);
        sql("ALTER TABLE audit_log_gone RENAME TO audit_log");
        assertThat(hub.auth().tokens().lookup(login.token()).accessor()).as("not revoked without a record")
                .isEqualTo(login.accessor());
        hub.auth().tokens().revokeToken(root, login.token());
        assertThatThrownBy(() -> hub.auth().tokens().lookup(login.token())).isInstanceOf(InvalidTokenException.class);
        assertThat(hub.audit().records(root, 1, 10_000)).anySatisfy(r -> {
            assertThat(r.operation()).isEqualTo("auth.token.revoke");
            assertThat(r.detail()).isEqualTo("revoked=1");
        });
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
