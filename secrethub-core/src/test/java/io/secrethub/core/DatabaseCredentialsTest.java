package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import io.secrethub.core.runtime.HubInternals;
import io.secrethub.core.testing.Eventually;
import io.secrethub.core.testing.PgRoles;
import io.secrethub.core.testing.Scram;
import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHubExtension;
import io.secrethub.core.token.TokenSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Dynamic PostgreSQL credentials against the real local server: the users SecretHub creates can log
 * in with the password handed out and do exactly what their role grants; after revocation or expiry
 * they are gone and their sessions with them; a revocation that keeps failing is retried with
 * backoff and then reported as irrevocable.
 */
class DatabaseCredentialsTest {

    static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    /** First, so that its after-all clean-up (dropping the users) runs once the hub has stopped. */
    @RegisterExtension
    @Order(1)
    static final PgRoles ROLES = new PgRoles();
    @RegisterExtension
    @Order(2)
    static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(b -> b.clock(CLOCK)
            .leasePollInterval(Duration.ofMillis(25)).leaseMaxAttempts(3)
            .leaseRetryBackoff(Duration.ofSeconds(10), Duration.ofMinutes(1)));

    static final Duration WAIT = Duration.ofSeconds(30);
    static String adminPassword;
    static final String READONLY = ROLES.role("ro");
    static final String BROKEN = ROLES.role("bad");
    static final String NOT_ALLOWED = ROLES.role("no");
    static HubFixture fixture;
    static SecretHub hub;
    static String root;
    static DataSource db;
    static String jdbcUrl;

    @BeforeAll
    static void setUp(HubFixture hubFixture) throws SQLException {
        fixture = hubFixture;
        hub = fixture.hub();
        root = fixture.rootToken();
        db = fixture.dataSource();
        jdbcUrl = fixture.jdbcUrl();
        adminPassword = ROLES.adminPassword();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE app_items (id int PRIMARY KEY, name text NOT NULL)");
            s.execute("INSERT INTO app_items VALUES (1, 'one'), (2, 'two')");
        }
        hub.database().writeConfig(root, "appdb", DatabaseConfig.builder().connectionUrl(jdbcUrl)
                .username(ROLES.adminUser()).password(adminPassword).allowedRoles(READONLY, BROKEN).build());
        hub.database().writeRole(root, READONLY, readonly().build());
    }

    static DatabaseRole.Builder readonly() {
        return DatabaseRole.builder("appdb")
                .creationStatements("CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL "
                        + "'{{expiration}}'",
                        "GRANT SELECT ON app_items TO \"{{name}}\"")
                .defaultTtl(Duration.ofMinutes(10)).maxTtl(Duration.ofMinutes(30));
    }

    @Test
    void theAdminPasswordIsStoredEncryptedAndNeverReturned() throws SQLException {
        String adminUser = ROLES.adminUser();
        DatabaseConfigInfo info = hub.database().readConfig(root, "appdb");
        assertThat(info.connectionUrl()).isEqualTo(jdbcUrl);
        assertThat(info.username()).isEqualTo(adminUser);
        assertThat(info.allowedRoles()).containsExactly(READONLY, BROKEN);
        assertThat(info.toString()).doesNotContain(adminPassword);
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT encrypted_password, connection_url FROM database_configs")) {
            assertThat(rs.next()).isTrue();
            assertThat(new String(rs.getBytes(1), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .doesNotContain(adminPassword);
            assertThat(rs.getString(2)).doesNotContain(adminPassword);
        }
        assertThat(hub.database().readRole(root, READONLY)).isEqualTo(readonly().build());
    }

    @Test
    void credentialsLogInWithTheirPasswordAndDoWhatTheRoleGrants() throws Exception {
        Instant issued = CLOCK.instant();
        DatabaseCredentials creds = hub.database().creds(root, READONLY);
        assertThat(creds.username()).matches("v_" + READONLY + "_[a-z0-9]{16}");
        assertThat(creds.password()).matches("[A-Za-z0-9]{32}");
        assertThat(creds.leaseId()).startsWith("database/creds/" + READONLY + "/");
        assertThat(creds.leaseDuration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(creds.toString()).doesNotContain(creds.password());

        // The local server trusts every login, so check the password against the verifier it stores.
        String verifier = rolpassword(creds.username());
        assertThat(verifier).startsWith("SCRAM-SHA-256$").doesNotContain(creds.password());
        assertThat(Scram.matches(verifier, creds.password())).isTrue();
        assertThat(Scram.matches(verifier, creds.password() + "x")).isFalse();
        assertThat(validUntil(creds.username())).isEqualTo(issued.plus(Duration.ofMinutes(10)));

        try (Connection user = DriverManager.getConnection(jdbcUrl, creds.username(), creds.password());
                Statement s = user.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM app_items")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
            SQLException denied = catchThrowableOfType(SQLException.class,
                    () -> s.executeUpdate("INSERT INTO app_items VALUES (3, 'three')"));
            assertThat(denied.getSQLState()).as("insufficient privilege").isEqualTo("42501");
            SQLException noSecrets = catchThrowableOfType(SQLException.class,
                    () -> s.executeQuery("SELECT count(*) FROM leases"));
            assertThat(noSecrets.getSQLState()).isEqualTo("42501");
        }
        Lease lease = hub.leases().lookup(root, creds.leaseId());
        assertThat(lease.state()).isEqualTo(LeaseState.ACTIVE);
        assertThat(lease.expiresAt()).isEqualTo(creds.expiresAt());
        assertThat(lease.maxExpiresAt()).isEqualTo(issued.plus(Duration.ofMinutes(30)));
    }

    @Test
    void revocationEndsTheSessionsAndDropsTheUser() throws Exception {
        DatabaseCredentials creds = hub.database().creds(root, READONLY);
        try (Connection session = DriverManager.getConnection(jdbcUrl, creds.username(), creds.password())) {
            select(session);
            hub.leases().revoke(root, creds.leaseId());
            assertThat(ROLES.existing()).doesNotContain(creds.username());
            assertThatThrownBy(() -> select(session)).as("the open session was terminated")
                    .isInstanceOf(SQLException.class);
        }
        SQLException refused = catchThrowableOfType(SQLException.class,
                () -> DriverManager.getConnection(jdbcUrl, creds.username(), creds.password()).close());
        // 28000 where the server trusts the client; 28P01 where it checks passwords (it does not say the role is gone)
        assertThat(refused.getSQLState()).as("no such role").isIn("28000", "28P01");
        assertThat(hub.leases().lookup(root, creds.leaseId()).state()).isEqualTo(LeaseState.REVOKED);
    }

    @Test
    void renewalMovesValidUntilWithinTheMaxTtl() throws SQLException {
        Instant issued = CLOCK.instant();
        DatabaseCredentials creds = hub.database().creds(root, READONLY);
        CLOCK.advance(Duration.ofMinutes(5));
        Lease renewed = hub.leases().renew(root, creds.leaseId(), Duration.ofMinutes(20));
        assertThat(renewed.expiresAt()).isEqualTo(CLOCK.instant().plus(Duration.ofMinutes(20)));
        assertThat(validUntil(creds.username())).isEqualTo(renewed.expiresAt());
        renewed = hub.leases().renew(root, creds.leaseId(), Duration.ofHours(2));
        assertThat(renewed.expiresAt()).isEqualTo(issued.plus(Duration.ofMinutes(30)));
        assertThat(validUntil(creds.username())).isEqualTo(issued.plus(Duration.ofMinutes(30)));
        hub.leases().revoke(root, creds.leaseId());
    }

    @Test
    void expiryDropsTheUserEvenIfItsOwnerNeverComesBack() throws Exception {
        DatabaseCredentials creds = hub.database().creds(root, READONLY);
        assertThat(ROLES.existing()).contains(creds.username());
        CLOCK.advance(Duration.ofMinutes(11));
        Eventually.await("the expired user is dropped", WAIT, () -> {
            try {
                return !ROLES.existing().contains(creds.username());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        Eventually.await("the lease is marked revoked", WAIT,
                () -> hub.leases().lookup(root, creds.leaseId()).state() == LeaseState.REVOKED);
    }

    @Test
    void aFailingRevocationIsRetriedWithBackoffThenReportedAsIrrevocable() throws Exception {
        hub.database().writeRole(root, BROKEN, readonly().revocationStatements("DROP ROLL \"{{name}}\"").build());
        DatabaseCredentials creds = hub.database().creds(root, BROKEN);
        LeaseStats before = hub.leaseStats();

        BackendException now = catchThrowableOfType(BackendException.class,
                () -> hub.leases().revoke(root, creds.leaseId()));
        assertThat(now.getMessage()).contains("statement 1 of 1 failed (SQLSTATE 42601)").contains("will be retried")
                .doesNotContain(creds.password()).doesNotContain(creds.username());
        Lease lease = hub.leases().lookup(root, creds.leaseId());
        assertThat(lease.state()).isEqualTo(LeaseState.REVOKING);
        assertThat(lease.attempts()).isEqualTo(1);
        assertThat(lease.lastError()).contains("SQLSTATE 42601").doesNotContain(creds.username());
        // backoff base 10 s: the first retry waits 5-10 s, the second 10-20 s
        assertThat(Duration.between(CLOCK.instant(), lease.nextAttemptAt())).isBetween(Duration.ofSeconds(5),
                Duration.ofSeconds(10));

        CLOCK.advance(Duration.between(CLOCK.instant(), lease.nextAttemptAt()));
        // Recorded once the retry is scheduled (while an attempt runs, next_attempt_at holds its 5-minute claim).
        Eventually.await("the second attempt fails and is rescheduled", WAIT, () -> {
            Lease l = hub.leases().lookup(root, creds.leaseId());
            return l.attempts() == 2 && l.nextAttemptAt().isBefore(CLOCK.instant().plus(Duration.ofMinutes(1)));
        });
        lease = hub.leases().lookup(root, creds.leaseId());
        assertThat(lease.state()).isEqualTo(LeaseState.REVOKING);
        Duration second = Duration.between(CLOCK.instant(), lease.nextAttemptAt());
        assertThat(second).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));

        CLOCK.advance(second);
        Eventually.await("the lease is given up on", WAIT,
                () -> hub.leases().lookup(root, creds.leaseId()).state() == LeaseState.IRREVOCABLE);
        lease = hub.leases().lookup(root, creds.leaseId());
        assertThat(lease.attempts()).isEqualTo(3);
        assertThat(lease.nextAttemptAt()).isNull();
        assertThat(hub.leases().irrevocable(root, 100)).extracting(Lease::id).contains(creds.leaseId());
        assertThat(hub.leaseStats().failedAttempts() - before.failedAttempts()).isEqualTo(3);
        Eventually.await("the give-up is counted", WAIT, ()
                -> hub.leaseStats().irrevocable() - before.irrevocable() == 1);
        // Nobody retries an irrevocable lease: a lease that falls due with it marks a poll that has passed it by.
        LoginResult marker = fixture.login(Duration.ofMinutes(1), Duration.ofMinutes(1));
        CLOCK.advance(Duration.ofHours(1));
        Eventually.await("a later poll revokes the marker lease", WAIT,
                () -> hub.leases().lookup(root, marker.leaseId()).state() == LeaseState.REVOKED);
        assertThat(attempts(creds.leaseId())).isEqualTo(3);
        assertThat(ROLES.existing()).as("the user still exists: it was never revoked").contains(creds.username());

        // An operator fixes the role and revokes again: an irrevocable lease is tried once more.
        hub.database().writeRole(root, BROKEN, readonly().build());
        hub.leases().revoke(root, creds.leaseId());
        assertThat(ROLES.existing()).doesNotContain(creds.username());
        assertThat(hub.leases().lookup(root, creds.leaseId()).state()).isEqualTo(LeaseState.REVOKED);
        assertThat(hub.leases().irrevocable(root, 100)).extracting(Lease::id).doesNotContain(creds.leaseId());
    }

    @Test
    void aFailedCreationLeavesNeitherUserNorLease() throws SQLException {
        hub.database().writeRole(root, BROKEN, DatabaseRole.builder("appdb")
                .creationStatements("CREATE ROLE \"{{name}}\" LOGIN", "GRANT SELECT ON no_such_table TO \"{{name}}\"")
                        .build());
        BackendException failure = catchThrowableOfType(BackendException.class, ()
                -> hub.database().creds(root, BROKEN));
        assertThat(failure.getMessage()).contains("creation: statement 2 of 2 failed (SQLSTATE 42P01)");
        assertThat(ROLES.existing()).noneMatch(name -> name.startsWith("v_" + BROKEN + "_"));
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM leases WHERE starts_with(lease_id, ?) AND state = 'active'")) {
            ps.setString(1, "database/creds/" + BROKEN + "/");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    @Test
    void credsNeedReadOnTheirRolesPath() {
        hub.policies().write(root, Policy.builder("db-ro").path("database/creds/" + READONLY, Capability.READ).build());
        String app = HubInternals.tokens(hub)
                .create(new TokenSpec(List.of("default", "db-ro"), "app", Duration.ofHours(1), null, null))
                .token();
        DatabaseCredentials creds = hub.database().creds(app, READONLY);
        assertThatThrownBy(() -> hub.database().creds(app, BROKEN)).isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> hub.database().readConfig(app, "appdb")).isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> hub.database().writeRole(app, READONLY, readonly().build()))
                .isInstanceOf(PermissionDeniedException.class);
        hub.leases().revoke(root, creds.leaseId());
        assertThat(hub.audit().records(root, 1, 10_000)).anyMatch(r -> r.operation().equals("database.creds")
                && READONLY.equals(r.path()) && r.outcome() == AuditOutcome.SUCCESS
                && r.detail().equals("lease=" + creds.leaseId()));
    }

    @Test
    void onlySafeConnectionParametersAreAcceptedAndTlsIsVerifiedUnlessTheUrlSaysOtherwise() throws SQLException {
        String base = "jdbc:postgresql://db.example:5432/app";
        for (String url : new String[] {base + "?socketFactory=org.example.Evil", base + "?sslfactory=x.Y",
                base + "?sslrootcert=/etc/passwd", base + "?sslkey=/tmp/k", base + "?loggerFile=/tmp/log",
                base + "?options=-c%20search_path%3Devil", base + "?sslmode=bogus",
                base + "?sslmode=disable&sslmode=require", base + "?SSLMODE=disable",
                "jdbc:postgresql://db.example:5432/app/../other", "jdbc:postgresql://h;x/app"}) {
            assertThatThrownBy(() -> DatabaseConfig.builder().connectionUrl(url)).as(url)
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("connectionUrl");
        }
        for (String url : new String[] {base, base + "?sslmode=verify-ca&connectTimeout=5&ApplicationName=secrethub",
                "jdbc:postgresql://a.example,b.example:5433/app?targetServerType=primary",
                "jdbc:postgresql://[::1]:5432/app?sslmode=disable"}) {
            assertThat(DatabaseConfig.builder().connectionUrl(url).username("u").password("p").build().connectionUrl())
                    .isEqualTo(url);
        }
        // without sslmode the connection insists on verified TLS, which the test server does not speak
        String plainUrl = jdbcUrl.replace("sslmode=disable", "connectTimeout=5");
        assertThatThrownBy(() -> hub.database().writeConfig(root, "tls-default", DatabaseConfig.builder()
                .connectionUrl(plainUrl).username(ROLES.adminUser()).password(adminPassword).build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("could not connect");
        hub.database().writeConfig(root, "tls-disabled", DatabaseConfig.builder().connectionUrl(jdbcUrl)
                .username(ROLES.adminUser()).password(adminPassword).build());
    }

    @Test
    void malformedConfigsAndRolesAreRefusedWithAMessageNamingTheProblem() {
        for (String url : new String[] {"jdbc:mysql://h/db", "postgres://h/db", "jdbc:postgresql://u:p@h/db",
                "jdbc:postgresql://h/db?password=x", "jdbc:postgresql://h/db?ssl=true&sslpassword=x",
                "jdbc:postgresql://h/db?user=x", "jdbc:postgresql:///db", "jdbc:postgresql://h/db name"}) {
            assertThatThrownBy(() -> DatabaseConfig.builder().connectionUrl(url)).as(url)
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("connectionUrl");
        }
        assertThatThrownBy(() -> DatabaseConfig.builder().connectionUrl(jdbcUrl).username("u").build())
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("password");
        assertThatThrownBy(() -> DatabaseConfig.builder().maxOpenConnections(0))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("maxOpenConnections");
        assertThatThrownBy(() -> DatabaseConfig.builder().allowedRoles("Bad Role"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("allowedRoles");
        assertThatThrownBy(() -> hub.database().writeConfig(root, "down", DatabaseConfig.builder()
                .connectionUrl("jdbc:postgresql://127.0.0.1:1/none").username("u").password("p").build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("could not connect")
                .hasMessageContaining("SQLSTATE").hasMessageNotContaining("p)");
        assertThatThrownBy(() -> hub.database().writeConfig(root, "Bad Name", DatabaseConfig.builder()
                .connectionUrl(jdbcUrl).username("u").password("p").build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("invalid name");

        assertThatThrownBy(() -> DatabaseRole.builder("appdb").creationStatements("CREATE ROLE \"{{user}}\""))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("{{user}}");
        assertThatThrownBy(() -> DatabaseRole.builder("appdb").creationStatements("CREATE ROLE x"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("{{name}}");
        assertThatThrownBy(()
                -> DatabaseRole.builder("appdb")
                        .revocationStatements("ALTER ROLE \"{{name}}\" PASSWORD '{{password}}'"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("revocation statements");
        assertThatThrownBy(() -> DatabaseRole.builder("appdb").creationStatements("CREATE ROLE \"{{name}}\"", " "))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("statement 2 is empty");
        assertThatThrownBy(() -> DatabaseRole.builder("appdb").build())
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("creation statements are required");
        assertThatThrownBy(() -> readonly().defaultTtl(Duration.ofHours(2)).maxTtl(Duration.ofHours(1)).build())
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("defaultTtl");
        assertThatThrownBy(() -> hub.database().writeRole(root, ROLES.role("x"),
                DatabaseRole.builder("nosuchdb").creationStatements("CREATE ROLE \"{{name}}\"").build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("nosuchdb");
        assertThatThrownBy(() -> hub.database().creds(root, ROLES.role("zz"))).isInstanceOf(NotFoundException.class);
        hub.database().writeRole(root, NOT_ALLOWED, readonly().build());
        assertThatThrownBy(() -> hub.database().creds(root, NOT_ALLOWED)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("does not allow role");
    }

    private static void select(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1 FROM app_items LIMIT 1")) {
            rs.next();
        }
    }

    private static String rolpassword(String user) throws SQLException {
        return queryOne("SELECT rolpassword FROM pg_authid WHERE rolname = ?", user, rs -> rs.getString(1));
    }

    private static Instant validUntil(String user) throws SQLException {
        return queryOne("SELECT rolvaliduntil FROM pg_roles WHERE rolname = ?", user, rs -> {
            Timestamp t = rs.getTimestamp(1);
            return t == null ? null : t.toInstant();
        });
    }

    private static int attempts(String leaseId) {
        try {
            return queryOne("SELECT attempts FROM leases WHERE lease_id = ?", leaseId, rs -> rs.getInt(1));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    interface Column<T> {
        T get(ResultSet rs) throws SQLException;
    }

    private static <T> T queryOne(String sql, String parameter, Column<T> column) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("a row for %s", parameter).isTrue();
                return column.get(rs);
            }
        }
    }
}
