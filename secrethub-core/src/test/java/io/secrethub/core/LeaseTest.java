package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import io.secrethub.core.runtime.HubInternals;
import io.secrethub.core.testing.Eventually;
import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHubExtension;
import io.secrethub.core.token.IssuedToken;
import io.secrethub.core.token.TokenSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Token leases through {@code hub.leases()}: tied to their tokens, renewal bounds, revocation, expiry, policies. */
class LeaseTest {

    static final MutableClock CLOCK = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    @RegisterExtension
    static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(b -> b.clock(CLOCK)
            .leasePollInterval(Duration.ofMillis(25)));

    static final Duration WAIT = Duration.ofSeconds(30);
    static HubFixture fixture;
    static SecretHub hub;
    static String root;

    @BeforeAll
    static void setUp(HubFixture hubFixture) {
        fixture = hubFixture;
        hub = fixture.hub();
        root = fixture.rootToken();
    }

    private static LoginResult login(Duration ttl, Duration maxTtl) {
        return fixture.login(ttl, maxTtl);
    }

    @Test
    void aLoginTokenHasALeaseNamedByItsPathNotByTheToken() {
        Instant issued = CLOCK.instant();
        LoginResult login = login(Duration.ofMinutes(10), Duration.ofHours(1));
        assertThat(login.leaseId()).startsWith("auth/approle/login/")
                .doesNotContain(login.token()).doesNotContain(login.accessor());

        Lease lease = hub.leases().lookup(login.token(), login.leaseId()); // the default policy allows lookup
        assertThat(lease.state()).isEqualTo(LeaseState.ACTIVE);
        assertThat(lease.renewable()).isTrue();
        assertThat(lease.ttl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(lease.issuedAt()).isEqualTo(issued);
        assertThat(lease.expiresAt()).isEqualTo(issued.plus(Duration.ofMinutes(10)));
        assertThat(lease.maxExpiresAt()).isEqualTo(issued.plus(Duration.ofHours(1)));
        TokenInfo info = hub.auth().tokens().lookup(login.token());
        assertThat(info.leaseId()).isEqualTo(login.leaseId());
        assertThat(info.expiresAt()).isEqualTo(lease.expiresAt());
        assertThat(hub.auth().tokens().lookup(root).leaseId()).as("the root token never expires: no lease").isNull();
    }

    @Test
    void renewalIsBoundedByTheMaxTtlAndMovesTheToken() {
        Instant issued = CLOCK.instant();
        LoginResult login = login(Duration.ofMinutes(10), Duration.ofMinutes(30));
        CLOCK.advance(Duration.ofMinutes(5));

        Lease renewed = hub.leases().renew(login.token(), login.leaseId(), Duration.ofMinutes(20));
        assertThat(renewed.expiresAt()).isEqualTo(CLOCK.instant().plus(Duration.ofMinutes(20)));
        assertThat(hub.auth().tokens().lookup(login.token()).expiresAt()).isEqualTo(renewed.expiresAt());

        renewed = hub.leases().renew(login.token(), login.leaseId(), Duration.ofHours(5));
        assertThat(renewed.expiresAt()).isEqualTo(issued.plus(Duration.ofMinutes(30)));

        CLOCK.advance(Duration.ofMinutes(1));
        renewed = hub.leases().renew(login.token(), login.leaseId(), null); // the lease's TTL, still capped
        assertThat(renewed.expiresAt()).isEqualTo(CLOCK.instant().plus(Duration.ofMinutes(10)));

        // and the other way round: renewing the token moves its lease
        TokenInfo token = hub.auth().tokens().renew(login.token(), Duration.ofMinutes(2));
        assertThat(hub.leases().lookup(root, login.leaseId()).expiresAt()).isEqualTo(token.expiresAt())
                .isEqualTo(CLOCK.instant().plus(Duration.ofMinutes(2)));
    }

    @Test
    void revokingTheLeaseRevokesTheToken() {
        LoginResult login = login(Duration.ofMinutes(10), Duration.ofHours(1));
        hub.leases().revoke(root, login.leaseId());
        assertThatThrownBy(() -> hub.auth().tokens().lookup(login.token())).isInstanceOf(InvalidTokenException.class);
        assertThat(hub.leases().lookup(root, login.leaseId()).state()).isEqualTo(LeaseState.REVOKED);
        hub.leases().revoke(root, login.leaseId()); // again: nothing left to do, no error
        assertThatThrownBy(() -> hub.leases().renew(root, login.leaseId(), null))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("cannot be renewed");
    }

    @Test
    void revokingATokenRevokesItsLeaseAndItsDescendantsLeases() {
        LoginResult login = login(Duration.ofMinutes(10), Duration.ofHours(1));
        hub.auth().tokens().revokeSelf(login.token());
        assertThat(hub.leases().lookup(root, login.leaseId()).state()).isEqualTo(LeaseState.REVOKED);

        IssuedToken parent = HubInternals.tokens(hub)
                .create(new TokenSpec(List.of("default"), "p", Duration.ofHours(1), null, null));
        IssuedToken child = HubInternals.tokens(hub)
                .create(new TokenSpec(List.of("default"), "c", Duration.ofHours(1), null,
                parent.entry().accessor()));
        assertThat(child.entry().leaseId()).startsWith("auth/token/create/");
        hub.auth().tokens().revoke(root, parent.entry().accessor());
        assertThat(hub.leases().lookup(root, parent.entry().leaseId()).state()).isEqualTo(LeaseState.REVOKED);
        assertThat(hub.leases().lookup(root, child.entry().leaseId()).state()).isEqualTo(LeaseState.REVOKED);

        // revoking a parent's lease takes the child token (and its lease) too
        IssuedToken parent2 = HubInternals.tokens(hub)
                .create(new TokenSpec(List.of("default"), "p", Duration.ofHours(1), null, null));
        IssuedToken child2 = HubInternals.tokens(hub)
                .create(new TokenSpec(List.of("default"), "c", Duration.ofHours(1), null,
                parent2.entry().accessor()));
        hub.leases().revoke(root, parent2.entry().leaseId());
        assertThatThrownBy(() -> hub.auth().tokens().lookup(child2.token())).isInstanceOf(InvalidTokenException.class);
        assertThat(hub.leases().lookup(root, child2.entry().leaseId()).state()).isEqualTo(LeaseState.REVOKED);
    }

    @Test
    void expiredLeasesAreRevokedInTheBackgroundEvenIfNobodyComesBack() throws SQLException {
        long revokedBefore = hub.leaseStats().revoked();
        LoginResult login = login(Duration.ofMinutes(1), Duration.ofHours(1));
        assertThat(tokenRows(login.leaseId())).isEqualTo(1);
        CLOCK.advance(Duration.ofMinutes(2));
        Eventually.await("the expired lease is revoked", WAIT,
                () -> hub.leases().lookup(root, login.leaseId()).state() == LeaseState.REVOKED);
        assertThat(tokenRows(login.leaseId())).as("the token row is deleted, not just refused").isZero();
        assertThat(hub.leaseStats().revoked()).isGreaterThan(revokedBefore);
    }

    @Test
    void revokePrefixQueuesEveryLeaseUnderItAndTheManagerRevokesThem() throws SQLException {
        List<IssuedToken> created = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            created.add(HubInternals.tokens(hub)
                    .create(new TokenSpec(List.of("default"), "bulk", Duration.ofHours(1), null, null)));
        }
        LoginResult unrelated = login(Duration.ofHours(1), Duration.ofHours(2));
        long pending = pendingUnder("auth/token/create/");
        assertThat(hub.leases().revokePrefix(root, "auth/token/create/")).isEqualTo((int) pending)
                .isGreaterThanOrEqualTo(30);
        Eventually.await("every lease under the prefix is revoked", WAIT, () -> {
            try {
                return pendingUnder("auth/token/create/") == 0 && revokingUnder("auth/token/create/") == 0;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        for (IssuedToken t : created) {
            assertThatThrownBy(() -> hub.auth().tokens().lookup(t.token())).isInstanceOf(InvalidTokenException.class);
        }
        assertThat(hub.leases().lookup(root, unrelated.leaseId()).state()).isEqualTo(LeaseState.ACTIVE);
        hub.auth().tokens().lookup(unrelated.token());
    }

    @Test
    void leaseCallsNeedTheirCapabilities() {
        LoginResult login = login(Duration.ofMinutes(10), Duration.ofHours(1));
        String plain = login.token(); // policies: default only
        hub.leases().renew(plain, login.leaseId(), null); // in the default policy, as in Vault
        assertThatThrownBy(() -> hub.leases().revoke(plain, login.leaseId()))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> hub.leases().revokePrefix(plain, "auth/"))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> hub.leases().irrevocable(plain, 10)).isInstanceOf(PermissionDeniedException.class);

        hub.policies().write(root, Policy.builder("lease-admin-nosudo")
                .path("sys/leases/revoke-prefix/*", Capability.UPDATE).path("sys/leases/irrevocable", Capability.READ)
                        .build());
        hub.policies().write(root, Policy.builder("lease-admin")
                .path("sys/leases/revoke-prefix/auth/token/create/*", Capability.UPDATE, Capability.SUDO)
                .path("sys/leases/irrevocable", Capability.READ, Capability.SUDO)
                .path("sys/leases/revoke", Capability.UPDATE)
                // the lease is the login token's: another token revokes it with sudo on the lease's path
                .path("sys/leases/revoke/auth/approle/login/*", Capability.UPDATE, Capability.SUDO).build());
        String noSudo = HubInternals.tokens(hub).create(new TokenSpec(List.of("default", "lease-admin-nosudo"), "t",
                Duration.ofHours(1), null, null)).token();
        String admin = HubInternals.tokens(hub).create(new TokenSpec(List.of("default", "lease-admin"), "t",
                Duration.ofHours(1), null, null)).token();
        assertThatThrownBy(() -> hub.leases().revokePrefix(noSudo, "auth/token/create/nothing-here/"))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> hub.leases().irrevocable(noSudo, 10)).isInstanceOf(PermissionDeniedException.class);
        assertThat(hub.leases().revokePrefix(admin, "auth/token/create/nothing-here/")).isZero();
        assertThatThrownBy(() -> hub.leases().revokePrefix(admin, "auth/approle/"))
                .isInstanceOf(PermissionDeniedException.class); // outside the policy's prefix
        assertThat(hub.leases().irrevocable(admin, 10)).isEmpty();
        hub.leases().revoke(admin, login.leaseId());
        assertThat(hub.leases().lookup(root, login.leaseId()).state()).isEqualTo(LeaseState.REVOKED);
    }

    @Test
    void malformedInputIsRefusedWithAMessageNamingIt() {
        for (String bad : new String[] {"", "/auth/x", "auth//x", "auth/x/", "auth/../x", "auth/x y", "auth/é"}) {
            assertThatThrownBy(() -> hub.leases().lookup(root, bad)).as(bad)
                    .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("invalid lease id");
        }
        assertThatThrownBy(() -> hub.leases().lookup(root, null)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> hub.leases().lookup(root, "auth/x/" + "a".repeat(600)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("longer than 512");
        assertThatThrownBy(() -> hub.leases().revokePrefix(root, "")).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("invalid lease prefix");
        assertThatThrownBy(() -> hub.leases().lookup(root, "auth/approle/login/nope"))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> hub.leases().revoke(root, "auth/approle/login/nope"))
                .isInstanceOf(NotFoundException.class);
        LoginResult login = login(Duration.ofMinutes(10), Duration.ofHours(1));
        assertThatThrownBy(() -> hub.leases().renew(root, login.leaseId(), Duration.ZERO))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("increment");
        assertThatThrownBy(() -> hub.leases().renew(root, login.leaseId(), Duration.ofSeconds(-1)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("increment");
        assertThatThrownBy(() -> hub.leases().irrevocable(root, 0)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("limit");
        assertThatThrownBy(() -> hub.leases().lookup("shs.not-a-token", login.leaseId()))
                .isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void leaseCallsAreAuditedWithTheLeaseIdAsPath() {
        LoginResult login = login(Duration.ofMinutes(10), Duration.ofHours(1));
        hub.leases().lookup(root, login.leaseId());
        try {
            hub.leases().revoke(login.token(), login.leaseId());
        } catch (PermissionDeniedException expected) {
            // audited as a denial
        }
        List<AuditRecord> records = hub.audit().records(root, 1, 10_000);
        assertThat(records).anyMatch(r -> r.operation().equals("sys.leases.lookup") && login.leaseId().equals(r.path())
                && r.outcome() == AuditOutcome.SUCCESS);
        assertThat(records).anyMatch(r -> r.operation().equals("sys.leases.revoke") && login.leaseId().equals(r.path())
                && r.outcome() == AuditOutcome.DENIED);
    }

    private static long tokenRows(String leaseId) throws SQLException {
        return count("SELECT count(*) FROM tokens WHERE lease_id = ?", leaseId);
    }

    private static long pendingUnder(String prefix) throws SQLException {
        return count("SELECT count(*) FROM leases WHERE starts_with(lease_id, ?) AND state IN ('active', "
                + "'irrevocable')",
                prefix);
    }

    private static long revokingUnder(String prefix) throws SQLException {
        return count("SELECT count(*) FROM leases WHERE starts_with(lease_id, ?) AND state = 'revoking'", prefix);
    }

    private static long count(String sql, String parameter) throws SQLException {
        try (Connection c = fixture.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
