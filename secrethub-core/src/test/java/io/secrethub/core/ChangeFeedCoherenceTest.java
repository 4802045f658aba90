package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import io.secrethub.core.runtime.HubInternals;
import io.secrethub.core.secrets.SecretChangeFeed;
import io.secrethub.core.testing.Eventually;
import io.secrethub.core.testing.HeardNotices;
import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHubExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Caches never outlive a destructive change, with two instances on one database: deletions, destructions, policy
 * and role changes reach the other instance even when their writer never sends an after-commit announcement (as
 * if it died right after committing), because they are notified inside their transaction; revocations are told
 * to listeners on every instance; and a listening connection that silently stops delivering is detected by the
 * feed's heartbeat, which drops the caches and listens again.
 */
class ChangeFeedCoherenceTest {

    /** Generous: notices arrive in milliseconds; this only bounds a broken build's wait. */
    private static final Duration EVENTUALLY = Duration.ofSeconds(20);
    /** Long enough that no TTL backstop can explain what a test sees. */
    private static final Duration LONG_TTL = Duration.ofMinutes(10);

    @RegisterExtension
    static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(b -> b.nodeName("feed-a")
            .authCacheTtl(LONG_TTL).tokenCacheTtl(LONG_TTL));

    static HubFixture fixture;
    static SecretHub writer;
    static SecretHub reader;
    static String root;

    @BeforeAll
    static void setUp(HubFixture hubFixture) {
        fixture = hubFixture;
        writer = fixture.hub();
        root = fixture.rootToken();
        reader = fixture.newUnsealedInstance(6, b -> b.nodeName("feed-b").authCacheTtl(LONG_TTL));
    }

    @Test
    void deletionsAndDestructionsReachTheOtherInstanceWithoutAnAfterCommitAnnouncement() {
        // A writer whose after-commit announcements never leave (its feed is stopped), like one that died right
        // after each commit: only what was notified inside the transaction can reach the reader.
        SecretHub mute = fixture.newUnsealedInstance(4, b -> b.nodeName("feed-mute"));
        HubInternals.of(mute).secretChanges().close();
        for (String kind : List.of("delete", "destroy", "metadata-delete")) {
            String path = "feed/" + kind;
            writer.secrets().write(root, path, Map.of("v", "1"));
            awaitCaching(reader, path);
            switch (kind) {
                case "delete" -> mute.secrets().delete(root, path);
                case "destroy" -> mute.secrets().destroy(root, path, 1);
                default -> mute.secrets().deleteMetadata(root, path);
            }
            Eventually.await("the reader drops " + path + " after its " + kind, EVENTUALLY,
                    () -> !HubInternals.secretCache(reader).contains(path));
            assertThatThrownBy(() -> reader.secrets().read(root, path)).isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void latestVersionsDropsACachedEntryThatMissedItsChangesNotification() {
        SecretHub mute = fixture.newUnsealedInstance(4, b -> b.nodeName("feed-mute-write"));
        HubInternals.of(mute).secretChanges().close();
        String path = "feed/lost-write";
        // Written by the reader itself: a write on another instance is announced after its commit, in a batch, and
        // an announcement heard after the reader cached version 1 would drop the entry this test needs stale.
        reader.secrets().write(root, path, Map.of("v", "1"));
        awaitCaching(reader, path);
        mute.secrets().write(root, path, Map.of("v", "2")); // never announced: the reader's entry is stale
        assertThat(reader.secrets().read(root, path).version()).as("the stale entry is served").isEqualTo(1);

        assertThat(reader.secrets().latestVersions(List.of(path)).get(path).version()).isEqualTo(2);
        assertThat(HubInternals.secretCache(reader).contains(path)).as("the stale entry was dropped").isFalse();
        assertThat(reader.secrets().read(root, path).version()).isEqualTo(2);
        awaitCaching(reader, path);
        reader.secrets().latestVersions(List.of(path));
        assertThat(HubInternals.secretCache(reader).contains(path)).as("a current entry stays").isTrue();
    }

    @Test
    void aPolicyChangeOnOneInstanceIsEnforcedOnTheOtherAtOnce() {
        String policy = "feed-policy";
        String path = "feed/policy/cfg";
        writer.secrets().write(root, path, Map.of("v", "1"));
        writer.policies().write(root, Policy.builder(policy).path("secret/data/feed/policy/*", Capability.READ)
                .build());
        String token = writer.auth().tokens().create(root, List.of(policy), Duration.ofMinutes(10), "feed")
                .token();
        assertThat(reader.secrets().read(token, path).data()).containsEntry("v", "1"); // the reader caches the ACL

        writer.policies().write(root, Policy.builder(policy).path("secret/data/elsewhere/*", Capability.READ)
                .build());
        Eventually.await("the reader enforces the new policy", EVENTUALLY, () -> {
            try {
                reader.secrets().read(token, path);
                return false;
            } catch (PermissionDeniedException expected) {
                return true;
            }
        });
    }

    @Test
    void anAppRoleRoleChangeOnOneInstanceIsSeenByTheOtherAtOnce() {
        String role = "feed-role";
        writer.policies().write(root, Policy.builder("feed-role-a").path("secret/data/a/*", Capability.READ).build());
        writer.policies().write(root, Policy.builder("feed-role-b").path("secret/data/b/*", Capability.READ).build());
        writer.auth().appRole().writeRole(root, role, AppRoleSettings.builder().policies("feed-role-a").build());
        String roleId = writer.auth().appRole().roleId(root, role);
        LoginResult first = reader.auth().appRole().login(roleId,
                writer.auth().appRole().generateSecretId(root, role).secretId(), null);
        assertThat(first.policies()).contains("feed-role-a"); // the reader caches the role

        writer.auth().appRole().writeRole(root, role, AppRoleSettings.builder().policies("feed-role-b").build());
        Eventually.await("the reader logs in with the new role settings", EVENTUALLY, () -> reader.auth().appRole()
                .login(roleId, writer.auth().appRole().generateSecretId(root, role).secretId(), null).policies()
                .contains("feed-role-b"));
    }

    @Test
    void revocationsAreToldToListenersOnEveryInstance() throws Exception {
        HeardNotices listener = new HeardNotices();
        BlockingQueue<String> tokens = listener.tokens();
        BlockingQueue<String> agents = listener.agents();
        reader.addSecretChangeListener(listener);
        try {
            LoginResult login = writer.auth().tokens().create(root, List.of(), Duration.ofMinutes(10), "revoked");
            writer.auth().tokens().revoke(root, login.accessor());
            assertThat(tokens.poll(EVENTUALLY.toSeconds(), TimeUnit.SECONDS)).isEqualTo(login.accessor());

            String agentId = "feed-agent-" + System.nanoTime();
            AgentCredentials agent = AgentCredentials.generate(agentId);
            writer.agents().register(root, agentId, agent.csrPem(), Map.of()); // a new id: nobody to tell
            writer.agents().revoke(root, agentId);
            assertThat(agents.poll(EVENTUALLY.toSeconds(), TimeUnit.SECONDS)).as("revocation").isEqualTo(agentId);
            writer.agents().register(root, agentId, agent.csrPem(), Map.of());
            assertThat(agents.poll(EVENTUALLY.toSeconds(), TimeUnit.SECONDS)).as("registration again")
                    .isEqualTo(agentId);
        } finally {
            reader.removeSecretChangeListener(listener);
        }
    }

    @Test
    void aListeningConnectionThatStopsDeliveringIsDetectedAndTheCacheDropped() throws Exception {
        SecretHub deaf = fixture.newUnsealedInstance(4, b -> b.nodeName("feed-deaf"));
        SecretChangeFeed feed = HubInternals.of(deaf).secretChanges();
        String path = "feed/half-open";
        writer.secrets().write(root, path, Map.of("v", "1"));
        awaitCaching(deaf, path);
        AtomicInteger missed = new AtomicInteger();
        deaf.addSecretChangeListener(new SecretChangeListener() {
            @Override
            public void secretChanged(String p) {
            }

            @Override
            public void changesMayHaveBeenMissed() {
                missed.incrementAndGet();
            }
        });

        feed.dropIncomingForTesting(true); // the connection stays open but delivers nothing any more
        writer.secrets().write(root, path, Map.of("v", "2"));
        Eventually.await("the heartbeat finds the connection deaf and listens again", EVENTUALLY,
                () -> feed.heartbeatsLost() > 0 && missed.get() > 0);
        assertThat(HubInternals.secretCache(deaf).contains(path)).as("the stale entry was dropped").isFalse();

        feed.dropIncomingForTesting(false);
        assertThat(deaf.secrets().read(root, path).data()).containsEntry("v", "2");
    }

    private static void awaitCaching(SecretHub hub, String path) {
        Eventually.await(path + " is cached on " + hub.node(), EVENTUALLY, () -> {
            hub.secrets().read(root, path);
            return HubInternals.secretCache(hub).contains(path);
        });
    }
}
