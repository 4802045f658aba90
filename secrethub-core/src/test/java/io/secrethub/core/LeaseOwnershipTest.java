package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import io.secrethub.core.runtime.HubInternals;
import io.secrethub.core.testing.Eventually;
import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.PgRoles;
import io.secrethub.core.testing.UnsealedHubExtension;
import io.secrethub.core.token.IssuedToken;
import io.secrethub.core.token.TokenSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Leases record the token that obtained them (issue 13 item 3, as in Vault): revoking that token, or its expiry,
 * revokes them, database users included; renewing or revoking one by id is for its owner or for sudo on the
 * lease's path; the owner is under the row's MAC; and a token revoked while a cache still served it obtains nothing.
 */
class LeaseOwnershipTest {

    static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    @RegisterExtension
    @Order(1)
    static final PgRoles ROLES = new PgRoles();
    @RegisterExtension
    @Order(2)
    static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(b -> b.clock(CLOCK)
            .leasePollInterval(Duration.ofMillis(25)).tokenCacheTtl(Duration.ofMinutes(10)));

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String ROLE = ROLES.role("own");
    static HubFixture fixture;
    static SecretHub hub;
    static String root;

    @BeforeAll
    static void setUp(HubFixture hubFixture) throws SQLException {
        fixture = hubFixture;
        hub = fixture.hub();
        root = fixture.rootToken();
        hub.database().writeConfig(root, "owndb", DatabaseConfig.builder().connectionUrl(fixture.jdbcUrl())
                .username(ROLES.adminUser()).password(ROLES.adminPassword()).allowedRoles(ROLE).build());
        hub.database().writeRole(root, ROLE, DatabaseRole.builder("owndb")
                .creationStatements("CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}'")
                .defaultTtl(Duration.ofHours(1)).maxTtl(Duration.ofHours(2)).build());
        hub.policies().write(root, Policy.builder("creds-user")
                .path("database/creds/" + ROLE, Capability.READ)
                .path("sys/leases/revoke", Capability.UPDATE).build());
        hub.policies().write(root, Policy.builder("creds-admin")
                .path("sys/leases/revoke", Capability.UPDATE)
                .path("sys/leases/renew/database/creds/*", Capability.UPDATE, Capability.SUDO)
                .path("sys/leases/revoke/database/creds/*", Capability.UPDATE, Capability.SUDO).build());
    }

    private static IssuedToken token(String... policies) {
        return HubInternals.tokens(hub).create(new TokenSpec(List.of(policies), "t", Duration.ofHours(8), null, null));
    }

    @Test
    void revokingATokenRevokesTheDatabaseUsersItAndItsChildrenObtained() throws SQLException {
        IssuedToken parent = token("default", "creds-user");
        IssuedToken child = HubInternals.tokens(hub).create(new TokenSpec(List.of("default", "creds-user"), "c",
                Duration.ofHours(8), null, parent.entry().accessor()));
        IssuedToken bystander = token("default", "creds-user");
        DatabaseCredentials mine = hub.database().creds(parent.token(), ROLE);
        DatabaseCredentials childs = hub.database().creds(child.token(), ROLE);
        DatabaseCredentials theirs = hub.database().creds(bystander.token(), ROLE);
        assertThat(ROLES.existing()).contains(mine.username(), childs.username(), theirs.username());

        hub.auth().tokens().revoke(root, parent.entry().accessor());

        Eventually.await("the revoked tokens' leases are revoked", WAIT,
                () -> "revoked".equals(state(mine.leaseId())) && "revoked".equals(state(childs.leaseId())));
        assertThat(ROLES.existing()).as("users of the revoked tokens are dropped")
                .doesNotContain(mine.username(), childs.username()).contains(theirs.username());
        assertThat(hub.leases().lookup(root, theirs.leaseId()).state()).isEqualTo(LeaseState.ACTIVE);
        hub.leases().revoke(bystander.token(), theirs.leaseId()); // tidy up: the owner may revoke its own lease
    }

    @Test
    void anExpiredTokensDatabaseUsersAreRevokedWithIt() throws SQLException {
        LoginResult login = login(Duration.ofMinutes(5));
        DatabaseCredentials creds = hub.database().creds(login.token(), ROLE); // the user's TTL is an hour
        assertThat(ROLES.existing()).contains(creds.username());

        CLOCK.advance(Duration.ofMinutes(6)); // the token expires; its lease is due, the credential's is not

        Eventually.await("the expired token's credential is revoked", WAIT,
                () -> "revoked".equals(state(creds.leaseId())));
        assertThat(ROLES.existing()).doesNotContain(creds.username());
        assertThat(state(login.leaseId())).isEqualTo("revoked");
    }

    @Test
    void onlyTheOwnerOrSudoOnTheLeasesPathRenewsOrRevokesIt() throws SQLException {
        IssuedToken owner = token("default", "creds-user");
        IssuedToken other = token("default", "creds-user"); // same policies, not the owner
        IssuedToken admin = token("default", "creds-admin");
        DatabaseCredentials first = hub.database().creds(owner.token(), ROLE);
        DatabaseCredentials second = hub.database().creds(owner.token(), ROLE);

        assertThatThrownBy(() -> hub.leases().renew(other.token(), first.leaseId(), Duration.ofMinutes(30)))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> hub.leases().revoke(other.token(), first.leaseId()))
                .isInstanceOf(PermissionDeniedException.class);
        assertThat(state(first.leaseId())).isEqualTo("active");
        assertThat(hub.audit().records(root, 1, 10_000)).anySatisfy(r -> {
            assertThat(r.operation()).isEqualTo("sys.leases.revoke");
            assertThat(r.path()).isEqualTo(first.leaseId());
            assertThat(r.outcome()).isEqualTo(AuditOutcome.DENIED);
        });

        hub.leases().renew(owner.token(), first.leaseId(), Duration.ofMinutes(30));
        hub.leases().revoke(owner.token(), first.leaseId());
        assertThat(state(first.leaseId())).isEqualTo("revoked");
        assertThat(ROLES.existing()).doesNotContain(first.username());

        hub.leases().renew(admin.token(), second.leaseId(), Duration.ofMinutes(30)); // sudo on the lease's path
        hub.leases().revoke(admin.token(), second.leaseId());
        assertThat(state(second.leaseId())).isEqualTo("revoked");
        assertThat(ROLES.existing()).doesNotContain(second.username());

        // a token's own lease is that token's: another token needs sudo on its path, which creds-admin lacks
        LoginResult login = login(Duration.ofHours(1));
        assertThatThrownBy(() -> hub.leases().revoke(admin.token(), login.leaseId()))
                .isInstanceOf(PermissionDeniedException.class);
        hub.leases().renew(login.token(), login.leaseId(), null);
    }

    @Test
    void aLeaseHandedToAnotherOwnerBehindSecretHubsBackIsRefused() throws SQLException {
        IssuedToken owner = token("default", "creds-user");
        IssuedToken thief = token("default", "creds-user");
        DatabaseCredentials creds = hub.database().creds(owner.token(), ROLE);
        assertThat(update("UPDATE leases SET owner_accessor = ? WHERE lease_id = ?", thief.entry().accessor(),
                creds.leaseId())).isOne();
        assertThatThrownBy(() -> hub.leases().revoke(thief.token(), creds.leaseId()))
                .isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> hub.leases().lookup(root, creds.leaseId())).isInstanceOf(IntegrityException.class);
        assertThat(update("UPDATE leases SET owner_accessor = NULL WHERE lease_id = ?", creds.leaseId())).isOne();
        assertThatThrownBy(() -> hub.leases().lookup(root, creds.leaseId())).isInstanceOf(IntegrityException.class);
        assertThat(update("UPDATE leases SET owner_accessor = ? WHERE lease_id = ?", owner.entry().accessor(),
                creds.leaseId())).isOne();
        hub.leases().revoke(owner.token(), creds.leaseId());
        assertThat(ROLES.existing()).doesNotContain(creds.username());
    }

    @Test
    void aTokenRevokedWhileAnotherInstanceStillCachesItObtainsNothing() throws SQLException {
        IssuedToken token = token("default", "creds-user");
        hub.auth().tokens().lookup(token.token()); // cached here for ten minutes
        List<String> before = ROLES.existing();
        SecretHub other = fixture.newUnsealedInstance(f -> f.clock(CLOCK));
        other.auth().tokens().revoke(root, token.entry().accessor());

        assertThatThrownBy(() -> hub.database().creds(token.token(), ROLE))
                .isInstanceOf(InvalidTokenException.class);
        assertThat(ROLES.existing()).as("no user was created").containsExactlyInAnyOrderElementsOf(before);
        assertThat(count("SELECT count(*) FROM leases WHERE owner_accessor = ? AND starts_with(lease_id, 'database/')",
                token.entry().accessor()))
                .as("no lease was stored").isZero();
    }

    private static LoginResult login(Duration ttl) {
        String name = ROLES.role("login") + System.nanoTime();
        hub.auth().appRole().writeRole(root, name, AppRoleSettings.builder().policies("creds-user").tokenTtl(ttl)
                .tokenMaxTtl(ttl.multipliedBy(4)).build());
        return hub.auth().appRole().login(hub.auth().appRole().roleId(root, name),
                hub.auth().appRole().generateSecretId(root, name).secretId(), null);
    }

    private static String state(String leaseId) {
        try (Connection c = fixture.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT state FROM leases WHERE lease_id = ?")) {
            ps.setString(1, leaseId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int update(String sql, String... args) throws SQLException {
        try (Connection c = fixture.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }

    private static long count(String sql, String arg) throws SQLException {
        try (Connection c = fixture.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
