package io.secrethub.core;

import io.secrethub.core.runtime.HubInternals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHubExtension;
import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import io.secrethub.core.token.IssuedToken;
import io.secrethub.core.token.TokenSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * hub.auth().tokens(): expiry, renewal capped at the max TTL, revocation with children, creation, lookup of another
 * token, and ClientAddress in the audit record.
 */
class TokensFacadeTest {

    static final MutableClock CLOCK = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    @RegisterExtension
    static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(b -> b.clock(CLOCK));

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
    void expiredTokensAreRefused() {
        LoginResult login = login(Duration.ofMinutes(10), Duration.ofHours(1));
        assertThat(hub.auth().tokens().lookup(login.token()).expiresAt())
                .isEqualTo(CLOCK.instant().plus(Duration.ofMinutes(10)));
        CLOCK.advance(Duration.ofMinutes(11));
        assertThatThrownBy(() -> hub.auth().tokens().lookup(login.token())).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> hub.auth().tokens().renew(login.token(), null))
                .isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void renewalIsCappedAtTheMaxTtl() {
        Instant issued = CLOCK.instant();
        LoginResult login = login(Duration.ofMinutes(10), Duration.ofMinutes(30));
        CLOCK.advance(Duration.ofMinutes(8));
        TokenInfo renewed = hub.auth().tokens().renew(login.token(), null);
        assertThat(renewed.expiresAt()).isEqualTo(CLOCK.instant().plus(Duration.ofMinutes(10)));
        CLOCK.advance(Duration.ofMinutes(8));
        renewed = hub.auth().tokens().renew(login.token(), Duration.ofHours(5));
        assertThat(renewed.expiresAt()).isEqualTo(issued.plus(Duration.ofMinutes(30)));
        assertThat(renewed.renewableUntil()).isEqualTo(issued.plus(Duration.ofMinutes(30)));
        assertThat(hub.auth().tokens().lookup(login.token()).expiresAt()).isEqualTo(renewed.expiresAt());
        CLOCK.advance(Duration.ofMinutes(15));
        assertThatThrownBy(() -> hub.auth().tokens().lookup(login.token())).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void revokingATokenRevokesItsChildren() {
        IssuedToken parent = HubInternals.tokens(hub)
                .create(new TokenSpec(List.of("default"), "p", Duration.ofHours(1), null, null));
        IssuedToken child = HubInternals.tokens(hub)
                .create(new TokenSpec(List.of("default"), "c", Duration.ofHours(1), null,
                parent.entry().accessor()));
        IssuedToken grandchild = HubInternals.tokens(hub)
                .create(new TokenSpec(List.of("default"), "g", Duration.ofHours(1), null,
                child.entry().accessor()));
        IssuedToken other = HubInternals.tokens(hub)
                .create(new TokenSpec(List.of("default"), "o", Duration.ofHours(1), null, null));
        hub.auth().tokens().lookup(grandchild.token());

        // a default token may not revoke others by accessor
        assertThatThrownBy(() -> hub.auth().tokens().revoke(other.token(), parent.entry().accessor()))
                .isInstanceOf(PermissionDeniedException.class);
        hub.auth().tokens().revoke(root, parent.entry().accessor());
        for (IssuedToken t : List.of(parent, child, grandchild)) {
            assertThatThrownBy(() -> hub.auth().tokens().lookup(t.token())).isInstanceOf(InvalidTokenException.class);
        }
        hub.auth().tokens().lookup(other.token());
        assertThatThrownBy(() -> hub.auth().tokens().revoke(root, parent.entry().accessor()))
                .isInstanceOf(NotFoundException.class);

        hub.auth().tokens().revokeSelf(other.token());
        assertThatThrownBy(() -> hub.auth().tokens().lookup(other.token())).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void createdTokenCarriesItsPoliciesAndTtlAndDiesWithItsParent() {
        writeCreationPolicies();
        LoginResult parent = hub.auth().tokens().create(root, List.of("app", "minter"), Duration.ofHours(1), "ci");
        assertThat(parent.policies()).containsExactly("app", "default", "minter");
        assertThat(parent.ttl()).isEqualTo(Duration.ofHours(1));
        TokenInfo info = hub.auth().tokens().lookup(root, parent.token());
        assertThat(info.displayName()).isEqualTo("token-ci");
        assertThat(info.expiresAt()).isEqualTo(CLOCK.instant().plus(Duration.ofHours(1)));

        // A child may hold only what its parent holds, and never outlives it.
        LoginResult child = hub.auth().tokens().create(parent.token(), List.of("app"), Duration.ofDays(3), null);
        assertThat(hub.auth().tokens().lookup(root, child.token()).expiresAt()).isEqualTo(info.expiresAt());
        assertThatThrownBy(() -> hub.auth().tokens().create(parent.token(), List.of("root"), null, null))
                .isInstanceOf(PermissionDeniedException.class);

        hub.auth().tokens().revokeToken(root, parent.token());
        assertThatThrownBy(() -> hub.auth().tokens().lookup(child.token())).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> hub.auth().tokens().lookup(root, child.token()))
                .isInstanceOf(InvalidRequestException.class).hasMessage("bad token");
        hub.auth().tokens().revokeToken(root, parent.token()); // already gone: not an error
    }

    @Test
    void creatingNeedsThePolicyPath() {
        writeCreationPolicies();
        LoginResult plain = hub.auth().tokens().create(root, List.of("app"), Duration.ofHours(1), null);
        assertThatThrownBy(() -> hub.auth().tokens().create(plain.token(), List.of(), null, null))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> hub.auth().tokens().lookup(plain.token(), root))
                .isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    void clientAddressReachesTheAuditRecord() {
        ClientAddress.with("192.0.2.7", ()
                -> hub.secrets().write(root, "audited/by-address", java.util.Map.of("k", "v")));
        assertThat(ClientAddress.current()).isNull();
        assertThat(hub.audit().records(root, 1, 10_000)).anySatisfy(r -> {
            assertThat(r.path()).isEqualTo("audited/by-address");
            assertThat(r.clientAddress()).isEqualTo("192.0.2.7");
        });
    }
    private static void writeCreationPolicies() {
        hub.policies().write(root, Policy.builder("app").path("secret/data/app/*", Capability.READ).build());
        hub.policies().write(root, Policy.builder("minter").path("auth/token/create", Capability.UPDATE).build());
    }
}
