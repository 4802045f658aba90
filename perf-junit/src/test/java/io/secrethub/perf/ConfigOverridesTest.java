package io.secrethub.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.testkit.FixtureResults;
import io.secrethub.perf.testkit.FixtureRun;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Configuration parameters override {@code @LoadTest} globally and per class, so CI can scale without code. */
class ConfigOverridesTest {

    static final AtomicInteger CALLS = new AtomicInteger();

    @BeforeEach
    void reset() {
        CALLS.set(0);
    }

    @Test
    void annotationAppliesWithoutOverrides() {
        FixtureRun.of(Overridable.class).execute();

        assertThat(CALLS).hasValue(2 * 3);
    }

    @Test
    void globalParametersOverrideTheAnnotation() {
        FixtureResults run =
                FixtureRun.of(Overridable.class).with("perf.agents", "3").with("perf.iterations", "7").execute();

        assertThat(CALLS).hasValue(3 * 7);
        LoadSettings settings = run.result("counts").settings();
        assertThat(settings.agents()).isEqualTo(3);
        assertThat(settings.iterations()).isEqualTo(7);
    }

    @Test
    void perClassParametersOverrideGlobalOnes() {
        FixtureRun.of(Overridable.class)
                .with("perf.iterations", "7")
                .with("perf.Overridable.iterations", "5")
                .with("perf.OtherClass.iterations", "100")
                .execute();

        assertThat(CALLS).hasValue(2 * 5);
    }

    @Test
    void fullyQualifiedClassNameWinsOverTheSimpleName() {
        FixtureRun.of(Overridable.class)
                .with("perf.Overridable.iterations", "5")
                .with("perf." + Overridable.class.getName() + ".iterations", "4")
                .execute();

        assertThat(CALLS).hasValue(2 * 4);
    }

    @Test
    void scaleMultipliesIterationsAndDurations() {
        FixtureResults run =
                FixtureRun.of(Overridable.class).with("perf.iterations", "10").with("perf.scale", "0.5").execute();

        assertThat(CALLS).hasValue(2 * 5);
        assertThat(run.result("counts").settings().scale()).isEqualTo(0.5);
    }

    @Test
    void overridesSwitchModels() {
        FixtureResults run = FixtureRun.of(Overridable.class)
                .with("perf.rate", "500")
                .with("perf.duration", "200ms")
                .with("perf.warmup", "1")
                .with("perf.timeout", "1m")
                .execute();

        LoadSettings settings = run.result("counts").settings();
        assertThat(settings.openModel()).isTrue();
        assertThat(settings.duration()).isEqualTo(Duration.ofMillis(200));
        assertThat(settings.timeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(run.result("counts").invocationCount()).isEqualTo(100);
    }

    @Test
    void aBadValueFailsNamingTheKeyAndTheValue() {
        Throwable failure =
                FixtureRun.of(Overridable.class).with("perf.Overridable.agents", "many").execute().onlyFailure();

        assertThat(failure.getMessage()).isEqualTo(
                "Invalid configuration parameter perf.Overridable.agents = \"many\": expected a whole number of at "
                        + "least 1");
        assertThat(CALLS).hasValue(0);
    }

    static class Overridable {
        @LoadTest(agents = 2, iterations = 3)
        void counts() {
            CALLS.incrementAndGet();
        }
    }
}
