package io.secrethub.core;

import io.secrethub.core.runtime.HubInternals;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.PgRoles;
import io.secrethub.core.testing.UnsealedHubExtension;
import io.secrethub.core.token.IssuedToken;
import io.secrethub.core.token.TokenSpec;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * After a realistic session, no column of any table holds a secret value, a token or an unseal share,
 * in any of the encodings a careless implementation might use.
 */
class NoPlaintextTest {

    /** First, so that its after-all clean-up (dropping the users) runs once the hub has stopped. */
    @RegisterExtension
    @Order(1)
    static final PgRoles ROLES = new PgRoles();
    @RegisterExtension
    @Order(2)
    static final UnsealedHubExtension HUB = new UnsealedHubExtension();

    @Test
    void theDatabaseHoldsNoPlaintextSecretTokenOrShare(HubFixture fixture) throws Exception {
        String value = "pl41ntext-" + java.util.UUID.randomUUID();
        Map<String, String> needles = new LinkedHashMap<>();
        needles.put("secret value", value);
        List<String> accessors = new ArrayList<>();
        DataSource db = fixture.dataSource();
        // Closed before the scan, so that whatever closing writes is scanned too.
        try (SecretHub hub = fixture.hub()) {
            InitResult init = fixture.init();
            needles.put("root token", init.rootToken());
            for (int i = 0; i < init.shares().size(); i++) {
                needles.put("share " + (i + 1), init.shares().get(i));
            }
            IssuedToken child = HubInternals.tokens(hub)
                    .create(new TokenSpec(List.of("app"), "test", Duration.ofHours(1), null, null));
            needles.put("child token", child.token());
            accessors.add(child.entry().accessor());

            hub.policies().write(init.rootToken(), Policy.builder("app")
                    .path("secret/data/app/*", Capability.READ).build());
            hub.auth().appRole().writeRole(init.rootToken(), "app", AppRoleSettings.builder().policies("app")
                    .secretIdNumUses(3).build());
            String roleId = hub.auth().appRole().roleId(init.rootToken(), "app");
            SecretIdResult secretId = hub.auth().appRole().generateSecretId(init.rootToken(), "app");
            needles.put("secret_id", secretId.secretId());
            LoginResult login = hub.auth().appRole().login(roleId, secretId.secretId(), "10.0.0.1");
            needles.put("login token", login.token());
            accessors.add(login.accessor());
            hub.auth().tokens().renew(login.token(), Duration.ofMinutes(30));
            hub.agents().register(init.rootToken(), "agent-np",
                    AgentCredentials.generate("agent-np").csrPem(), Map.of("zone", "a"));

            hub.secrets().write(init.rootToken(), "app/db", Map.of("password", value));
            hub.secrets().write(init.rootToken(), "app/db", Map.of("password", value, "user", "admin"));
            hub.secrets().read(login.token(), "app/db");
            hub.secrets().read(init.rootToken(), "app/db");
            hub.sys().rotate(init.rootToken());
            hub.secrets().write(init.rootToken(), "app/db", Map.of("password", value));

            // dynamic database credentials: the admin password, the generated password, and the user name
            // (which the lease keeps encrypted: it tells an attacker which account to go for)
            String adminPassword = ROLES.adminPassword();
            needles.put("database admin password", adminPassword);
            String dbRole = ROLES.role("np");
            hub.database().writeConfig(init.rootToken(), "np", DatabaseConfig.builder().connectionUrl(fixture.jdbcUrl())
                    .username(ROLES.adminUser()).password(adminPassword).allowedRoles(dbRole).build());
            hub.database().writeRole(init.rootToken(), dbRole, DatabaseRole.builder("np").creationStatements(
                    "CREATE ROLE \"{{name}}\" LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'").build());
            DatabaseCredentials kept = hub.database().creds(init.rootToken(), dbRole);
            DatabaseCredentials revoked = hub.database().creds(init.rootToken(), dbRole);
            hub.leases().renew(init.rootToken(), kept.leaseId(), Duration.ofMinutes(30));
            hub.leases().revoke(init.rootToken(), revoked.leaseId());
            for (DatabaseCredentials creds : List.of(kept, revoked)) {
                needles.put("database password of " + creds.leaseId(), creds.password());
                needles.put("database user of " + creds.leaseId(), creds.username());
            }
            // the server itself holds only the SCRAM verifier: the plaintext never reached it
            try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT rolpassword FROM pg_authid WHERE rolname = ?")) {
                ps.setString(1, kept.username());
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).startsWith("SCRAM-SHA-256$").doesNotContain(kept.password());
                }
            }
            try {
                hub.secrets().read(child.token(), "app/db"); // denied: audited with the child's accessor
            } catch (PermissionDeniedException expected) {
                // the point is the audit record it leaves
            }
        }

        List<byte[]> forms = new ArrayList<>();
        Map<Integer, String> formNames = new LinkedHashMap<>();
        for (Map.Entry<String, String> needle : needles.entrySet()) {
            byte[] utf8 = needle.getValue().getBytes(StandardCharsets.UTF_8);
            add(forms, formNames, needle.getKey() + " (utf-8)", utf8);
            add(forms, formNames, needle.getKey() + " (hex)",
                    HexFormat.of().formatHex(utf8).getBytes(StandardCharsets.US_ASCII));
            add(forms, formNames, needle.getKey() + " (base64)", Base64.getEncoder().encode(utf8));
            if (needle.getKey().startsWith("share")) {
                byte[] raw = Base64.getUrlDecoder().decode(needle.getValue());
                add(forms, formNames, needle.getKey() + " (raw share bytes)",
                        java.util.Arrays.copyOfRange(raw, 5, raw.length));
            }
        }

        List<String> columnsScanned = new ArrayList<>();
        try (Connection c = db.getConnection()) {
            for (String[] column : columns(c)) {
                columnsScanned.add(column[0] + "." + column[1]);
                try (PreparedStatement ps = c.prepareStatement("SELECT " + quote(column[1]) + "::text, "
                        + (column[2].equals("bytea") ? quote(column[1]) : "convert_to(" + quote(column[1])
                                + "::text, 'UTF8')")
                        + " FROM " + quote(column[0]));
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byte[] bytes = rs.getBytes(2);
                        if (bytes == null) {
                            continue;
                        }
                        for (int i = 0; i < forms.size(); i++) {
                            assertThat(indexOf(bytes, forms.get(i)))
                                    .as("%s found in %s.%s", formNames.get(i), column[0], column[1]).isEqualTo(-1);
                        }
                    }
                }
            }
            // accessors may sit in the token table (they cannot authenticate) but not in the audit log
            for (String accessor : accessors) {
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM audit_log WHERE accessor_hmac "
                        + "LIKE ?"
                        + " OR detail LIKE ? OR path LIKE ?")) {
                    ps.setString(1, "%" + accessor + "%");
                    ps.setString(2, "%" + accessor + "%");
                    ps.setString(3, "%" + accessor + "%");
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(rs.getInt(1)).isZero();
                    }
                }
            }
        }
        assertThat(columnsScanned).contains("secret_versions.ciphertext", "tokens.token_hash", "audit_log.path",
                "keyring.encrypted_key", "seal_config.encrypted_root_key", "system_entries.value",
                "approle_secret_ids.secret_hash", "approle_roles.hmac_key", "agents.metadata", "leases.lease_id",
                "leases.payload", "leases.last_error", "tokens.lease_id", "database_configs.encrypted_password",
                "database_configs.connection_url", "database_roles.creation_statements");
    }

    private static void add(List<byte[]> forms, Map<Integer, String> names, String name, byte[] form) {
        names.put(forms.size(), name);
        forms.add(form);
    }

    /** Every column of every table in the schema (name, column, type). */
    private static List<String[]> columns(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name, column_name, data_type"
                + " FROM information_schema.columns WHERE table_schema = current_schema()"
                + " ORDER BY table_name, ordinal_position");
                ResultSet rs = ps.executeQuery()) {
            List<String[]> columns = new ArrayList<>();
            while (rs.next()) {
                columns.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
            }
            return columns;
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
