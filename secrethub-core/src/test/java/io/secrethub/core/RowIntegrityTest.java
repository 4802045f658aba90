package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.keyring.Barrier;
import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import io.secrethub.core.keyring.SystemEntries;
import io.secrethub.core.keyring.SystemKeyEntry;
import io.secrethub.core.keyring.SystemKeys;
import io.secrethub.core.runtime.HubInternals;
import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHub;
import io.secrethub.core.token.TokenSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Storage is untrusted: rows whose content decides who may do what are tampered with directly in PostgreSQL,
 * both by editing a column and by copying another row's content (MAC included) over, and the call that reads
 * them is refused with {@link IntegrityException}, and audited.
 */
@UnsealedHub
class RowIntegrityTest {

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
        hub.secrets().write(root, "guarded/secret", Map.of("k", "v"));
    }

    private static String token(String... policies) {
        return HubInternals.tokens(hub).create(new TokenSpec(List.of(policies), "test", Duration.ofHours(1),
                Duration.ofHours(2), null)).token();
    }

    private static String accessor(String token) {
        return HubInternals.tokens(hub).lookup(token).orElseThrow().accessor();
    }

    /** Runs {@code sql} with {@code args} behind the hub's back and drops what the hub cached. */
    static int tamper(String sql, Object... args) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            int changed = ps.executeUpdate();
            assertThat(changed).as("rows tampered with by: %s", sql).isPositive();
            HubInternals.tokens(hub).clearCache();
            return changed;
        }
    }

    private static void assertRefusedAndAudited(ThrowingCall call, String operation) {
        assertThatThrownBy(call::run).isInstanceOf(IntegrityException.class);
        List<AuditRecord> records = hub.audit().records(root, 1, 10_000);
        assertThat(records).anySatisfy(r -> {
            assertThat(r.operation()).isEqualTo(operation);
            assertThat(r.error()).isEqualTo("IntegrityException");
        });
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void aTokenWhosePoliciesWereEditedIsRefused() throws SQLException {
        String limited = token("default");
        assertThatThrownBy(() -> hub.secrets().read(limited, "guarded/secret"))
                .isInstanceOf(PermissionDeniedException.class);
        tamper("UPDATE tokens SET policies = '{root}' WHERE accessor = ?", accessor(limited));
        assertRefusedAndAudited(() -> hub.secrets().read(limited, "guarded/secret"), "secrets.read");
        assertThatThrownBy(() -> hub.auth().tokens().lookup(limited)).isInstanceOf(IntegrityException.class);
    }

    @Test
    void aTokenRowCarryingTheRootTokensContentIsRefused() throws SQLException {
        String limited = token("default");
        tamper("UPDATE tokens t SET policies = r.policies, display_name = r.display_name, parent_accessor ="
                + " r.parent_accessor, created_at = r.created_at, ttl_seconds = r.ttl_seconds,"
                + " expires_at = r.expires_at,"
                + " max_expires_at = r.max_expires_at, lease_id = r.lease_id, row_mac = r.row_mac"
                + " FROM tokens r WHERE r.display_name = 'root' AND t.accessor = ?", accessor(limited));
        assertRefusedAndAudited(() -> hub.secrets().read(limited, "guarded/secret"), "secrets.read");
    }

    @Test
    void aTokenWithoutItsMacOrWithAnExpiryBeyondItsLimitIsRefused() throws SQLException {
        String stripped = token("default");
        tamper("UPDATE tokens SET row_mac = NULL WHERE accessor = ?", accessor(stripped));
        assertThatThrownBy(() -> hub.auth().tokens().lookup(stripped)).isInstanceOf(IntegrityException.class);
        String extended = token("default");
        tamper("UPDATE tokens SET expires_at = max_expires_at + interval '1 day' WHERE accessor = ?",
                accessor(extended));
        assertThatThrownBy(() -> hub.auth().tokens().lookup(extended)).isInstanceOf(IntegrityException.class);
        String forever = token("default");
        tamper("UPDATE tokens SET expires_at = NULL WHERE accessor = ?", accessor(forever));
        assertThatThrownBy(() -> hub.auth().tokens().lookup(forever)).isInstanceOf(IntegrityException.class);
    }

    @Test
    void aPolicyWhoseDocumentWasEditedIsRefused() throws SQLException {
        hub.policies().write(root, Policy.builder("narrow-edited")
                .path("secret/data/elsewhere/*", Capability.READ).build());
        String narrow = token("narrow-edited");
        tamper("UPDATE policies SET document = replace(document, 'elsewhere/*', 'guarded/*') WHERE name = ?",
                "narrow-edited");
        assertRefusedAndAudited(() -> hub.secrets().read(narrow, "guarded/secret"), "secrets.read");
        assertThatThrownBy(() -> hub.policies().read(root, "narrow-edited")).isInstanceOf(IntegrityException.class);
    }

    @Test
    void aPolicyCarryingAnotherPolicysContentIsRefused() throws SQLException {
        hub.policies().write(root, Policy.builder("wide").path("secret/data/*", Capability.READ).build());
        hub.policies().write(root, Policy.builder("narrow-copied")
                .path("secret/data/elsewhere/*", Capability.READ).build());
        String narrow = token("narrow-copied");
        tamper("UPDATE policies n SET document = w.document, row_mac = w.row_mac FROM policies w"
                + " WHERE w.name = 'wide' AND n.name = ?", "narrow-copied");
        assertRefusedAndAudited(() -> hub.secrets().read(narrow, "guarded/secret"), "secrets.read");
        // nor can a stored "default" be planted with another policy's content
        String plain = token("default");
        tamper("INSERT INTO policies (name, document, updated_at, row_mac) SELECT 'default', document, updated_at,"
                + " row_mac FROM policies WHERE name = ?", "wide");
        try (SecretHub fresh = fixture.newUnsealedInstance(b -> b.nodeName("fresh-acl"))) { // nothing cached yet
            assertThatThrownBy(() -> fresh.secrets().read(plain, "guarded/secret"))
                    .isInstanceOf(IntegrityException.class);
        } finally {
            tamper("DELETE FROM policies WHERE name = ?", "default");
        }
    }

    @Test
    void anAppRoleRoleWhosePoliciesOrCidrsWereEditedIsRefused() throws SQLException {
        hub.auth().appRole().writeRole(root, "edited-role", AppRoleSettings.builder().boundCidrs("10.0.0.0/8")
                .build());
        String roleId = hub.auth().appRole().roleId(root, "edited-role");
        String secretId = hub.auth().appRole().generateSecretId(root, "edited-role").secretId();
        tamper("UPDATE approle_roles SET policies = '{root}', bound_cidrs = '{}' WHERE name = ?", "edited-role");
        assertRefusedAndAudited(() -> hub.auth().appRole().login(roleId, secretId, "192.0.2.1"), "auth.approle.login");
        assertThatThrownBy(() -> hub.auth().appRole().roleId(root, "edited-role"))
                .isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> hub.auth().appRole().generateSecretId(root, "edited-role"))
                .isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> hub.auth().appRole().writeRole(root, "edited-role", AppRoleSettings.builder().build()))
                .as("an update must not re-authenticate a tampered row").isInstanceOf(IntegrityException.class);
    }

    @Test
    void anAppRoleRoleCarryingAnotherRolesContentIsRefused() throws SQLException {
        hub.auth().appRole().writeRole(root, "admin-role", AppRoleSettings.builder().policies("wide").build());
        hub.auth().appRole().writeRole(root, "plain-role", AppRoleSettings.builder().build());
        String roleId = hub.auth().appRole().roleId(root, "plain-role");
        String secretId = hub.auth().appRole().generateSecretId(root, "plain-role").secretId();
        tamper("UPDATE approle_roles p SET policies = a.policies, token_ttl_seconds = a.token_ttl_seconds,"
                + " token_max_ttl_seconds = a.token_max_ttl_seconds, bound_cidrs = a.bound_cidrs, row_mac = a.row_mac"
                + " FROM approle_roles a WHERE a.name = 'admin-role' AND p.name = ?", "plain-role");
        assertRefusedAndAudited(() -> hub.auth().appRole().login(roleId, secretId, null), "auth.approle.login");
    }

    private static void databaseConfig(String name, String url, String user) {
        hub.database().writeConfig(root, name, DatabaseConfig.builder().connectionUrl(url).username(user)
                .password("admin-password").allowedRoles("*").verifyConnection(false).build());
    }

    private static DatabaseRole databaseRole(String config, String grant) {
        return DatabaseRole.builder(config)
                .creationStatements("CREATE ROLE \"{{name}}\" LOGIN PASSWORD '{{password}}'", grant)
                .defaultTtl(Duration.ofMinutes(5)).maxTtl(Duration.ofMinutes(10)).build();
    }

    @Test
    void aDatabaseConfigPointedElsewhereIsRefused() throws SQLException {
        databaseConfig("cfg-edited", "jdbc:postgresql://127.0.0.1:5432/app", "admin");
        hub.database().writeRole(root, "role-of-edited", databaseRole("cfg-edited", "SELECT 1"));
        tamper("UPDATE database_configs SET connection_url = 'jdbc:postgresql://evil.example:5432/app',"
                + " username = 'postgres' WHERE name = ?", "cfg-edited");
        assertRefusedAndAudited(() -> hub.database().readConfig(root, "cfg-edited"), "database.config.read");
        assertRefusedAndAudited(() -> hub.database().creds(root, "role-of-edited"), "database.creds");
    }

    @Test
    void aDatabaseConfigCarryingAnotherConfigsContentIsRefused() throws SQLException {
        databaseConfig("cfg-source", "jdbc:postgresql://elsewhere.example:5432/app", "other-admin");
        databaseConfig("cfg-target", "jdbc:postgresql://127.0.0.1:5432/app", "admin");
        tamper("UPDATE database_configs t SET connection_url = s.connection_url, username = s.username,"
                + " encrypted_password = s.encrypted_password, allowed_roles = s.allowed_roles,"
                + " generation = s.generation, row_mac = s.row_mac FROM database_configs s"
                + " WHERE s.name = 'cfg-source' AND t.name = ?", "cfg-target");
        assertRefusedAndAudited(() -> hub.database().readConfig(root, "cfg-target"), "database.config.read");
    }

    @Test
    void aDatabaseRoleWithEditedOrCopiedStatementsIsRefused() throws SQLException {
        databaseConfig("cfg-roles", "jdbc:postgresql://127.0.0.1:5432/app", "admin");
        hub.database().writeRole(root, "narrow-statements", databaseRole("cfg-roles", "SELECT 1"));
        hub.database().writeRole(root, "wide-statements",
                databaseRole("cfg-roles", "ALTER ROLE \"{{name}}\" SUPERUSER"));
        hub.database().writeRole(root, "copied-statements", databaseRole("cfg-roles", "SELECT 2"));
        tamper("UPDATE database_roles SET creation_statements = creation_statements || 'ALTER ROLE \"{{name}}\""
                + " SUPERUSER'::text WHERE name = ?", "narrow-statements");
        tamper("UPDATE database_roles t SET creation_statements = s.creation_statements, row_mac = s.row_mac"
                + " FROM database_roles s WHERE s.name = 'wide-statements' AND t.name = ?", "copied-statements");
        assertRefusedAndAudited(() -> hub.database().readRole(root, "narrow-statements"), "database.roles.read");
        assertRefusedAndAudited(() -> hub.database().creds(root, "narrow-statements"), "database.creds");
        assertThatThrownBy(() -> hub.database().creds(root, "copied-statements"))
                .isInstanceOf(IntegrityException.class);
    }

    private static String registerAgent(String agentId) {
        return hub.agents().register(root, agentId, AgentCredentials.generate(agentId).csrPem(), Map.of())
                .certificatePem();
    }

    @Test
    void anAgentAndCertificateUnrevokedBehindSecretHubsBackAreRefused() throws SQLException {
        String certificate = registerAgent("unrevoked-agent");
        hub.agents().revoke(root, "unrevoked-agent");
        assertThat(hub.agents().verify(certificate).isValid()).isFalse();
        tamper("UPDATE agent_certificates SET revoked_at = NULL WHERE agent_id = ?", "unrevoked-agent");
        tamper("UPDATE agents SET revoked_at = NULL WHERE agent_id = ?", "unrevoked-agent");
        assertRefusedAndAudited(() -> hub.agents().verify(certificate), "agents.verify");
    }

    @Test
    void agentRowsCarryingAnotherAgentsContentAreRefused() throws SQLException {
        registerAgent("good-agent");
        String revokedCertificate = registerAgent("revoked-agent");
        hub.agents().revoke(root, "revoked-agent");
        tamper("UPDATE agents t SET registered_at = s.registered_at, revoked_at = s.revoked_at, row_mac = s.row_mac"
                + " FROM agents s WHERE s.agent_id = 'good-agent' AND t.agent_id = ?", "revoked-agent");
        tamper("UPDATE agent_certificates t SET issued_at = s.issued_at, not_after = s.not_after,"
                + " revoked_at = s.revoked_at, row_mac = s.row_mac FROM agent_certificates s"
                + " WHERE s.agent_id = 'good-agent' AND t.agent_id = ?", "revoked-agent");
        assertRefusedAndAudited(() -> hub.agents().verify(revokedCertificate), "agents.verify");
    }

    @Test
    void aLeaseWhoseLimitsOrKindWereEditedIsRefused() throws SQLException {
        LoginResult login = fixture.login(Duration.ofMinutes(5), Duration.ofMinutes(10));
        tamper("UPDATE leases SET max_expire_at = max_expire_at + interval '10 years', kind = 'database'"
                + " WHERE lease_id = ?", login.leaseId());
        assertRefusedAndAudited(() -> hub.leases().lookup(root, login.leaseId()), "sys.leases.lookup");
        assertRefusedAndAudited(() -> hub.leases().renew(root, login.leaseId(), Duration.ofDays(365)),
                "sys.leases.renew");
        assertRefusedAndAudited(() -> hub.leases().revoke(root, login.leaseId()), "sys.leases.revoke");
    }

    @Test
    void aLeaseCarryingAnotherLeasesContentIsRefused() throws SQLException {
        LoginResult longer = fixture.login(Duration.ofHours(1), Duration.ofDays(30));
        LoginResult shorter = fixture.login(Duration.ofMinutes(5), Duration.ofMinutes(10));
        tamper("UPDATE leases t SET issued_at = s.issued_at, ttl_seconds = s.ttl_seconds,"
                + " max_expire_at = s.max_expire_at, renewable = s.renewable, payload = s.payload, row_mac = s.row_mac"
                + " FROM leases s WHERE s.lease_id = ? AND t.lease_id = ?", longer.leaseId(), shorter.leaseId());
        assertRefusedAndAudited(() -> hub.leases().renew(root, shorter.leaseId(), Duration.ofDays(20)),
                "sys.leases.renew");
    }

    /**
     * A database from before row MACs: its rows have none and its system key entry is the bare key. The first
     * unseal authenticates those rows as they stand and marks the entry; after that a missing MAC is refused.
     */
    @Test
    void rowsWrittenBeforeRowMacsAreAuthenticatedOnTheNextUnsealOnly() throws SQLException {
        String old = token("default");
        Barrier barrier = HubInternals.keys(hub).current().barrier();
        try (Connection c = db.getConnection()) {
            byte[] entry = SystemEntries.require(c, barrier, SystemKeys.ENTRY);
            SystemEntries.put(c, barrier, SystemKeys.ENTRY, SystemKeyEntry.key(entry), Clock.systemUTC().instant());
        }
        hub.policies().write(root, Policy.builder("old-policy").path("secret/data/guarded/*", Capability.READ).build());
        hub.auth().appRole().writeRole(root, "old-role", AppRoleSettings.builder().build());
        databaseConfig("old-config", "jdbc:postgresql://127.0.0.1:5432/app", "admin");
        hub.database().writeRole(root, "old-db-role", databaseRole("old-config", "SELECT 1"));
        String oldCertificate = registerAgent("old-agent");
        LoginResult oldLogin = fixture.login(Duration.ofMinutes(5), Duration.ofMinutes(10));
        for (String table : List.of("tokens", "policies", "approle_roles", "database_configs", "database_roles",
                "agents", "agent_certificates", "leases")) {
            tamper("UPDATE " + table + " SET row_mac = NULL");
        }
        try (SecretHub upgraded = fixture.newUnsealedInstance(b -> b.nodeName("upgraded"))) {
            assertThat(upgraded.auth().tokens().lookup(old).policies()).containsExactly("default");
            assertThat(upgraded.secrets().read(root, "guarded/secret").data()).containsEntry("k", "v");
            assertThat(upgraded.policies().read(root, "old-policy").rules()).hasSize(1);
            assertThat(upgraded.auth().appRole().roleId(root, "old-role")).isNotBlank();
            assertThat(upgraded.database().readConfig(root, "old-config").username()).isEqualTo("admin");
            assertThat(upgraded.database().readRole(root, "old-db-role").dbName()).isEqualTo("old-config");
            assertThat(upgraded.agents().verify(oldCertificate).isValid()).isTrue();
            assertThat(upgraded.leases().lookup(root, oldLogin.leaseId()).id()).isEqualTo(oldLogin.leaseId());
        }
        try (Connection c = db.getConnection()) {
            assertThat(SystemKeyEntry.legacy(SystemEntries.require(c, barrier, SystemKeys.ENTRY))).isFalse();
        }
        tamper("UPDATE tokens SET row_mac = NULL WHERE accessor = ?", accessor(old));
        assertThatThrownBy(() -> hub.auth().tokens().lookup(old)).isInstanceOf(IntegrityException.class);
    }
}
