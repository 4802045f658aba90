package io.secrethub.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One ordered list: start runs down it, seal and stop run up it, and a failure does not skip the rest. */
class HubServicesTest {

    private final List<String> events = new ArrayList<>();

    private HubService service(String name) {
        return HubService.named(name)
                .onStart(() -> events.add("start " + name))
                .onSeal(() -> events.add("seal " + name))
                .onStop(() -> events.add("stop " + name));
    }

    @Test
    void startsInOrderAndSealsAndStopsInReverse() {
        HubServices services = new HubServices(List.of(service("audit"), service("cache"), service("leases")));

        services.start();
        services.sealed();
        services.stop();

        assertThat(events).containsExactly(
                "start audit", "start cache", "start leases",
                "seal leases", "seal cache", "seal audit",
                "stop leases", "stop cache", "stop audit");
    }

    @Test
    void aFailedStartStopsWhatHadStartedAndRethrows() {
        HubServices services = new HubServices(List.of(service("audit"), service("cache"),
                HubService.named("broken").onStart(() -> {
                    throw new IllegalStateException("no connection");
                }).onStop(() -> events.add("stop broken")),
                service("leases")));

        assertThatThrownBy(services::start).hasMessage("no connection");

        assertThat(events).containsExactly("start audit", "start cache", "stop cache", "stop audit");
    }

    @Test
    void aFailingStopOrSealDoesNotSkipTheOthers() {
        HubServices services = new HubServices(List.of(service("audit"),
                HubService.named("broken").onSeal(() -> {
                    throw new IllegalStateException("seal failed");
                }).onStop(() -> {
                    throw new IllegalStateException("stop failed");
                }),
                service("leases")));
        services.start();
        events.clear();

        services.sealed();
        services.stop();

        assertThat(events).containsExactly("seal leases", "seal audit", "stop leases", "stop audit");
    }

    @Test
    void stopsOnceAndRefusesASecondStart() {
        HubServices services = new HubServices(List.of(service("audit")));
        services.start();

        assertThatThrownBy(services::start).isInstanceOf(IllegalStateException.class);
        services.stop();
        services.stop();

        assertThat(events).containsExactly("start audit", "stop audit");
    }
}
