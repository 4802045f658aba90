package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHubExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Calls that present no token are rate-limited per client address before they cost an audit record (issue 13 item
 * 10, first half): every certificate verification and every failed AppRole login counts; successful logins, valid
 * certificates presented by their holders (TLS client certificates) and in-process calls without an address do not.
 */
class UnauthenticatedRateLimitTest {

    /** Three calls per address, earned back only after about 17 minutes: nothing refills during the test. */
    @RegisterExtension
    static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(
            b -> b.unauthenticatedRateLimit(0.001, 3));

    static HubFixture fixture;
    static SecretHub hub;
    static String root;

    @BeforeAll
    static void setUp(HubFixture hubFixture) {
        fixture = hubFixture;
        hub = fixture.hub();
        root = fixture.rootToken();
        hub.auth().appRole().writeRole(root, "limited", AppRoleSettings.builder().build());
    }

    private static CertificateVerification verifyFrom(String address) {
        return ClientAddress.with(address, () -> hub.agents().verify("not a certificate"));
    }

    @Test
    void verificationsOverTheLimitAreRefusedWithoutAnAuditRecord() {
        String address = "203.0.113.7";
        for (int i = 0; i < 3; i++) {
            assertThat(verifyFrom(address).isValid()).isFalse();
        }
        assertThatThrownBy(() -> verifyFrom(address)).isInstanceOf(RateLimitedException.class)
                .hasMessageContaining("agents.verify").satisfies(e ->
                        assertThat(((RateLimitedException) e).retryAfter()).isPositive());
        assertThatThrownBy(() -> verifyFrom(address)).isInstanceOf(RateLimitedException.class);
        assertThat(records("agents.verify", address)).as("only the calls let in were audited").hasSize(3);

        assertThat(verifyFrom("203.0.113.8").isValid()).as("another address has its own allowance").isFalse();
        for (int i = 0; i < 10; i++) {
            hub.agents().verify("not a certificate"); // in-process, no client address: not limited
        }
    }

    @Test
    void aPresentedCertificateCountsOnlyWhenItIsRefused() {
        String certificate = hub.agents().register(root, "presenter", AgentCredentials.generate("presenter").csrPem(),
                java.util.Map.of()).certificatePem();
        String address = "192.0.2.44";
        for (int i = 0; i < 10; i++) {
            assertThat(ClientAddress.with(address, () -> hub.agents().verifyPresented(certificate)).isValid())
                    .as("a valid presented certificate costs nothing").isTrue();
        }
        for (int i = 0; i < 3; i++) {
            assertThat(ClientAddress.with(address, () -> hub.agents().verifyPresented("not a certificate")).isValid())
                    .isFalse();
        }
        assertThatThrownBy(() -> ClientAddress.with(address, () -> hub.agents().verifyPresented(certificate)))
                .as("over the limit after 3 refusals: even a valid certificate is refused")
                .isInstanceOf(RateLimitedException.class).hasMessageContaining("agents.verify");
        assertThat(records("agents.verify", address)).as("10 valid and 3 refused verifications, audited").hasSize(13);
        // the same valid certificate through verify() counts each time: anybody may send a public certificate
        String other = "192.0.2.45";
        for (int i = 0; i < 3; i++) {
            assertThat(ClientAddress.with(other, () -> hub.agents().verify(certificate)).isValid()).isTrue();
        }
        assertThatThrownBy(() -> ClientAddress.with(other, () -> hub.agents().verify(certificate)))
                .isInstanceOf(RateLimitedException.class);
    }

    @Test
    void failedLoginsCountAndOverTheLimitEvenAGoodLoginIsRefused() {
        String roleId = hub.auth().appRole().roleId(root, "limited");
        String address = "198.51.100.9";
        for (int i = 0; i < 10; i++) {
            String secretId = hub.auth().appRole().generateSecretId(root, "limited").secretId();
            assertThat(hub.auth().appRole().login(roleId, secretId, address).token()).as("successes cost nothing")
                    .isNotNull();
        }
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> hub.auth().appRole().login(roleId, "shsid.wrong", address))
                    .isInstanceOf(PermissionDeniedException.class);
        }
        String good = hub.auth().appRole().generateSecretId(root, "limited").secretId();
        assertThatThrownBy(() -> hub.auth().appRole().login(roleId, good, address))
                .isInstanceOf(RateLimitedException.class);
        assertThatThrownBy(() -> ClientAddress.with(address, () -> hub.auth().appRole().login(roleId, good, null)))
                .as("the thread's client address counts when none is passed")
                .isInstanceOf(RateLimitedException.class);
        assertThat(records("auth.approle.login", address)).as("3 denials and 10 successes, no refusal audited")
                .hasSize(13);
        assertThat(hub.auth().appRole().login(roleId, good, "198.51.100.10").token()).isNotNull();
    }

    @Test
    void ipv6AddressesCountPerSlash64() {
        for (int i = 1; i <= 3; i++) {
            verifyFrom("2001:db8:0:1::" + i);
        }
        assertThatThrownBy(() -> verifyFrom("2001:db8:0:1:ffff::9")).isInstanceOf(RateLimitedException.class);
        assertThat(verifyFrom("2001:db8:0:2::1").isValid()).isFalse();
    }

    private static List<AuditRecord> records(String operation, String address) {
        return hub.audit().records(root, 1, 10_000).stream()
                .filter(r -> r.operation().equals(operation) && address.equals(r.clientAddress())).toList();
    }
}
