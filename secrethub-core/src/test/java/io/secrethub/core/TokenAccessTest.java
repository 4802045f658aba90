package io.secrethub.core;

import io.secrethub.core.runtime.HubInternals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.access.Operation;
import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHubExtension;
import io.secrethub.core.token.IssuedToken;
import io.secrethub.core.token.TokenSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The token seam: hashed storage, cached lookups, expiry, revocation, and the authorizer plug-in point. */
class TokenAccessTest {

    static final AtomicReference<Instant> NOW = new AtomicReference<>(Instant.parse("2030-01-01T00:00:00Z"));

    @RegisterExtension
    static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(b -> b.clock(clock())
            .tokenCacheTtl(Duration.ofMinutes(10)));

    static SecretHub hub;
    static String root;

    @BeforeAll
    static void setUp(HubFixture fixture) {
        hub = fixture.hub();
        root = fixture.rootToken();
        hub.secrets().write(root, "tok/s", Map.of("k", "v"));
    }

    static Clock clock() {
        return new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return NOW.get();
            }
        };
    }

    @Test
    void anExpiredTokenIsRefusedEvenWhenCached() {
        IssuedToken token = HubInternals.tokens(hub)
                .create(new TokenSpec(List.of("root"), "short", Duration.ofMinutes(1), null, null));
        assertThat(hub.secrets().read(token.token(), "tok/s").data()).containsEntry("k", "v");
        NOW.set(NOW.get().plusSeconds(61));
        assertThatThrownBy(() -> hub.secrets().read(token.token(), "tok/s"))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("expired")
                .hasMessageNotContaining(token.token());
    }

    @Test
    void aRevokedTokenAndItsChildrenAreRefusedAtOnceDespiteTheCache() {
        IssuedToken parent = HubInternals.tokens(hub)
                .create(new TokenSpec(List.of("root"), "parent", Duration.ofHours(1), null, null));
        IssuedToken child = HubInternals.tokens(hub)
                .create(new TokenSpec(List.of("root"), "child", Duration.ofHours(1), null,
                parent.entry().accessor()));
        IssuedToken unrelated = HubInternals.tokens(hub)
                .create(new TokenSpec(List.of("root"), "other", Duration.ofHours(1), null, null));
        for (IssuedToken t : List.of(parent, child, unrelated)) {
            hub.secrets().read(t.token(), "tok/s"); // now cached for ten minutes
        }
        assertThat(HubInternals.tokens(hub).revoke(parent.entry().accessor()))
                .containsExactlyInAnyOrder(parent.entry().accessor(), child.entry().accessor());
        assertThatThrownBy(() -> hub.secrets().read(parent.token(), "tok/s")).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> hub.secrets().read(child.token(), "tok/s")).isInstanceOf(InvalidTokenException.class);
        assertThat(hub.secrets().read(unrelated.token(), "tok/s").data()).containsEntry("k", "v");
    }

    @Test
    void aTokenWithoutRootIsDeniedAndTheDenialAudited() {
        IssuedToken app = HubInternals.tokens(hub)
                .create(new TokenSpec(List.of("default", "app"), "app", Duration.ofHours(1), null, null));
        assertThatThrownBy(() -> hub.secrets().read(app.token(), "tok/s"))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("secrets.read on tok/s");
        assertThatThrownBy(() -> hub.sys().rotate(app.token())).isInstanceOf(PermissionDeniedException.class);
        List<AuditRecord> records = hub.audit().records(root, 1, 10_000);
        assertThat(records.subList(records.size() - 2, records.size())).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(AuditOutcome.DENIED);
            assertThat(r.accessorHmac()).isEqualTo(hub.audit().hashAccessor(root, app.entry().accessor()));
        });
    }

    @Test
    void theAuthorizerIsThePolicySeam() {
        IssuedToken reader = HubInternals.tokens(hub)
                .create(new TokenSpec(List.of("reader"), "reader", Duration.ofHours(1), null, null));
        HubInternals.accessControl(hub).authorizer((caller, operation, path) -> caller.isRoot()
                || (caller.policies().contains("reader") && operation == Operation.SECRET_READ
                        && operation.policyPath(path).startsWith("secret/data/tok/")));
        try {
            assertThat(hub.secrets().read(reader.token(), "tok/s").data()).containsEntry("k", "v");
            assertThatThrownBy(() -> hub.secrets().write(reader.token(), "tok/s", Map.of("k", "w")))
                    .isInstanceOf(PermissionDeniedException.class);
        } finally {
            HubInternals.accessControl(hub).authorizer(new io.secrethub.core.access.RootPolicyAuthorizer());
        }
    }

    @Test
    void onlyTokensOfOurFormatAreLookedUp() {
        for (String bogus : new String[] {"x", "shs.", "shs." + "A".repeat(200),
                root.substring(0, root.length() - 1)}) {
            assertThatThrownBy(() -> hub.secrets().read(bogus, "tok/s")).isInstanceOf(InvalidTokenException.class);
        }
    }
}
