package io.secrethub.core.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.AgentCredentials;
import io.secrethub.core.AgentRegistration;
import io.secrethub.core.SecretHub;
import io.secrethub.core.keyring.RowMacs;
import io.secrethub.core.runtime.HubInternals;
import io.secrethub.core.testing.HeardNotices;
import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHub;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A certificate revoked with one registration of an agent stays revoked when the agent registers again. */
@UnsealedHub
class ReRegistrationTest {

    /**
     * A renewal that races the agent's revocation inserts its certificate after the revocation marked the others,
     * so it is left unrevoked (and, being SecretHub's own write, with a valid MAC). Re-registering the agent
     * clears the agent's revocation; the certificate must not come back to life with it.
     */
    @Test
    void aCertificateThatEscapedTheRevocationStaysRefusedAfterReRegistration(HubFixture fixture) throws SQLException {
        SecretHub hub = fixture.hub();
        String root = fixture.rootToken();
        AgentCredentials agent = AgentCredentials.generate("re-registered");
        AgentRegistration first = hub.agents().register(root, "re-registered", agent.csrPem(), Map.of());
        hub.agents().revoke(root, "re-registered");
        leaveUnrevokedAsARacingRenewalWould(fixture, hub, first);
        assertThat(hub.agents().verify(first.certificatePem()).isValid()).as("its agent is revoked").isFalse();

        AgentRegistration second = hub.agents().register(root, "re-registered", agent.csrPem(), Map.of());
        assertThat(hub.agents().verify(second.certificatePem()).isValid()).isTrue();
        assertThat(hub.agents().verify(first.certificatePem()).isValid())
                .as("issued before the current registration").isFalse();
    }

    private static void leaveUnrevokedAsARacingRenewalWould(HubFixture fixture, SecretHub hub, AgentRegistration reg)
            throws SQLException {
        RowMacs macs = HubInternals.keys(hub).current().system().rows();
        try (Connection c = fixture.dataSource().getConnection();
                PreparedStatement read = c.prepareStatement(
                        "SELECT agent_id, issued_at, not_after FROM agent_certificates WHERE serial = ?");
                PreparedStatement write = c.prepareStatement(
                        "UPDATE agent_certificates SET revoked_at = NULL, row_mac = ? WHERE serial = ?")) {
            read.setBigDecimal(1, new BigDecimal(reg.serial()));
            try (ResultSet rs = read.executeQuery()) {
                assertThat(rs.next()).isTrue();
                write.setBytes(1, AgentStore.certificateMac(macs, reg.serial(), rs.getString(1),
                        rs.getTimestamp(2).toInstant(), rs.getTimestamp(3).toInstant(), null));
            }
            write.setBigDecimal(2, new BigDecimal(reg.serial()));
            assertThat(write.executeUpdate()).isOne();
        }
    }

    /**
     * Only a registration in place of a revoked one tells the instances (sockets may hold the revoked certificates);
     * a new id had no certificate anyone could hold, and its NOTIFY would only serialize its commit. Notices arrive
     * in commit order, so a later revocation's notice is the marker that everything before it was delivered.
     */
    @Test
    void onlyARegistrationAgainIsAnnounced(HubFixture fixture) throws InterruptedException {
        SecretHub hub = fixture.hub();
        String root = fixture.rootToken();
        HeardNotices listener = new HeardNotices();
        BlockingQueue<String> heard = listener.agents();
        hub.addSecretChangeListener(listener);
        try {
            AgentCredentials agent = AgentCredentials.generate("announced");
            hub.agents().register(root, "announced", agent.csrPem(), Map.of());
            hub.agents().register(root, "marker", AgentCredentials.generate("marker").csrPem(), Map.of());
            hub.agents().revoke(root, "marker");
            assertThat(heardUntil(heard, "marker")).as("notices before the marker's").doesNotContain("announced");

            hub.agents().revoke(root, "announced");
            assertThat(heardUntil(heard, "announced")).isEmpty();
            hub.agents().register(root, "announced", agent.csrPem(), Map.of());
            assertThat(heardUntil(heard, "announced")).as("the registration again was announced").isEmpty();
        } finally {
            hub.removeSecretChangeListener(listener);
        }
    }

    /** Waits (at most 10 s) for a notice about {@code agentId}; returns the notices heard before it. */
    private static List<String> heardUntil(BlockingQueue<String> heard, String agentId)
            throws InterruptedException {
        List<String> before = new ArrayList<>();
        for (String next; (next = heard.poll(10, TimeUnit.SECONDS)) != null; ) {
            if (next.equals(agentId)) {
                return before;
            }
            before.add(next);
        }
        throw new AssertionError("no notice about " + agentId + " within 10 s; heard " + before);
    }
}
