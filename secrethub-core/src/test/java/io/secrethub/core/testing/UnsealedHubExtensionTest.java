package io.secrethub.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.secrethub.core.SealedException;
import io.secrethub.core.SecretHub;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The fixture itself, through real runs of fixture classes: one unsealed hub per class (shared by nested classes),
 * builder settings applied, and the hub and every instance opened through it closed after the class.
 */
class UnsealedHubExtensionTest {

    @Test
    void aClassGetsOneUnsealedHubThatIsClosedAfterIt() {
        OneHubPerClass.SEEN.clear();
        run(OneHubPerClass.class).assertStatistics(stats -> stats.started(3).succeeded(3));

        assertThat(OneHubPerClass.SEEN).hasSize(3);
        HubFixture fixture = OneHubPerClass.SEEN.get(0);
        assertThat(OneHubPerClass.SEEN).as("the same fixture for every test, nested ones too")
                .allSatisfy(seen -> assertThat(seen).isSameAs(fixture));
        assertThat(fixture.shares()).hasSize(3);
        assertThat(fixture.rootToken()).startsWith("shs.");
        assertSealed(fixture.hub(), fixture.rootToken());
    }

    @Test
    void settingsApplyAndFurtherInstancesCloseWithTheFixture() {
        WithSettings.SEEN.clear();
        WithSettings.INSTANCES.clear();
        run(WithSettings.class).assertStatistics(stats -> stats.started(1).succeeded(1));

        HubFixture fixture = WithSettings.SEEN.get(0);
        assertThat(WithSettings.INSTANCES).hasSize(2);
        for (SecretHub instance : WithSettings.INSTANCES) {
            assertSealed(instance, fixture.rootToken());
        }
        assertSealed(fixture.hub(), fixture.rootToken());
    }

    /** Runs {@code fixtureClass}; a failure inside it is rethrown as the cause, so it shows here. */
    private static Events run(Class<?> fixtureClass) {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixtureClass)).execute()
                .testEvents();
        events.failed().stream().findFirst().ifPresent(failed -> {
            throw new AssertionError(failed.getTestDescriptor().getDisplayName() + " failed", failed
                    .getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable).orElse(null));
        });
        return events;
    }

    /** A closed instance is sealed: it refuses before it would touch the (by now dropped) database. */
    private static void assertSealed(SecretHub hub, String rootToken) {
        assertThatThrownBy(() -> hub.secrets().read(rootToken, "fixture/x")).isInstanceOf(SealedException.class);
    }

    @UnsealedHub
    static class OneHubPerClass {

        static final List<HubFixture> SEEN = new CopyOnWriteArrayList<>();

        @Test
        void writes(HubFixture fixture) {
            SEEN.add(fixture);
            fixture.hub().secrets().write(fixture.rootToken(), "fixture/x", Map.of("k", "v"));
        }

        @Test
        void isUnsealed(HubFixture fixture) {
            SEEN.add(fixture);
            assertThat(fixture.hub().sys().status().sealed()).isFalse();
        }

        @Nested
        class Inner {

            @Test
            void sharesTheEnclosingFixture(HubFixture fixture) {
                SEEN.add(fixture);
                assertThat(fixture.hub().sys().status().sealed()).isFalse();
            }
        }
    }

    static class WithSettings {

        static final List<HubFixture> SEEN = new CopyOnWriteArrayList<>();
        static final List<SecretHub> INSTANCES = new CopyOnWriteArrayList<>();

        /** Each instance holds two connections (audit writer, change feed): room for a second instance and calls. */
        @RegisterExtension
        static final UnsealedHubExtension HUB = UnsealedHubExtension.withSettings(b -> b.nodeName("configured"))
                .poolSize(8);

        @Test
        void secondInstancesShareTheInitialization(HubFixture fixture) {
            SEEN.add(fixture);
            assertThat(fixture.hub().node()).isEqualTo("configured");
            fixture.hub().secrets().write(fixture.rootToken(), "fixture/x", Map.of("k", "v"));

            SecretHub sealed = fixture.newInstance(4, b -> b.nodeName("second"));
            INSTANCES.add(sealed);
            assertThat(sealed.node()).isEqualTo("second");
            assertThat(sealed.sys().status().sealed()).as("a new instance starts sealed").isTrue();
            fixture.unseal(sealed);
            assertThat(sealed.secrets().read(fixture.rootToken(), "fixture/x").data()).containsEntry("k", "v");

            SecretHub onTheHubsPool = fixture.newUnsealedInstance(HubSettings.DEFAULTS);
            INSTANCES.add(onTheHubsPool);
            assertThat(onTheHubsPool.secrets().read(fixture.rootToken(), "fixture/x").data()).containsEntry("k", "v");
        }
    }
}
