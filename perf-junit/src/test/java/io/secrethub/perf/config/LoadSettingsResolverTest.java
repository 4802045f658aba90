package io.secrethub.perf.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.perf.LoadSettings;
import io.secrethub.perf.LoadTest;
import io.secrethub.perf.ThreadMode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Precedence: per class (fully qualified, then simple name), then global, then the annotation; then scale. */
class LoadSettingsResolverTest {

    private final Map<String, String> parameters = new HashMap<>();

    @Test
    void theAnnotationAppliesWhenNothingIsConfigured() {
        LoadSettings settings = resolve("configured");

        assertThat(settings.agents()).isEqualTo(4);
        assertThat(settings.iterations()).isEqualTo(100);
        assertThat(settings.duration()).isEqualTo(Duration.ZERO);
        assertThat(settings.rate()).isZero();
        assertThat(settings.warmupIterations()).isEqualTo(5);
        assertThat(settings.warmupDuration()).isEqualTo(Duration.ZERO);
        assertThat(settings.rampUp()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.timeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.scale()).isEqualTo(1);
        assertThat(settings.threads()).isEqualTo(ThreadMode.AUTO);
    }

    @Test
    void defaultsOfTheAnnotation() {
        LoadSettings settings = resolve("defaults");

        assertThat(settings.agents()).isEqualTo(1);
        assertThat(settings.iterations()).isEqualTo(1);
        assertThat(settings.warmupIterations()).isZero();
        assertThat(settings.rampUp()).isEqualTo(Duration.ZERO);
        assertThat(settings.hasTimeout()).isFalse();
        assertThat(settings.openModel()).isFalse();
        assertThat(settings.durationBased()).isFalse();
    }

    @Test
    void globalBeatsAnnotationSimpleClassBeatsGlobalQualifiedClassBeatsSimple() {
        parameters.put("perf.agents", "10");
        assertThat(resolve("configured").agents()).isEqualTo(10);

        parameters.put("perf.Sample.agents", "20");
        assertThat(resolve("configured").agents()).isEqualTo(20);

        parameters.put("perf." + Sample.class.getCanonicalName() + ".agents", "30");
        assertThat(resolve("configured").agents()).isEqualTo(30);

        parameters.put("perf." + Sample.class.getName() + ".agents", "40");
        assertThat(resolve("configured").agents()).isEqualTo(40);
    }

    @Test
    void aMethodsOwnKeyBeatsItsClassAndAppliesToNoOtherMethod() {
        parameters.put("perf." + Sample.class.getName() + ".agents", "40");
        parameters.put("perf.Sample.configured.agents", "50");
        assertThat(resolve("configured").agents()).isEqualTo(50);
        assertThat(resolve("defaults").agents()).isEqualTo(40);

        parameters.put("perf." + Sample.class.getName() + ".configured.agents", "60");
        assertThat(resolve("configured").agents()).isEqualTo(60);
    }

    @Test
    void otherClassesKeysDoNotApply() {
        parameters.put("perf.SomethingElse.agents", "99");

        assertThat(resolve("configured").agents()).isEqualTo(4);
    }

    @Test
    void everyAttributeCanBeOverridden() {
        parameters.putAll(Map.of(
                "perf.agents", "2",
                "perf.iterations", "3",
                "perf.duration", "1.5s",
                "perf.rate", "250.5",
                "perf.warmup", "2s",
                "perf.rampUp", "100ms",
                "perf.timeout", "0",
                "perf.seed", "7",
                "perf.threads", "PLATFORM"));

        LoadSettings settings = resolve("configured");

        assertThat(settings.agents()).isEqualTo(2);
        assertThat(settings.iterations()).isEqualTo(3);
        assertThat(settings.duration()).isEqualTo(Duration.ofMillis(1500));
        assertThat(settings.rate()).isEqualTo(250.5);
        assertThat(settings.warmupDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.warmupIterations()).isZero();
        assertThat(settings.rampUp()).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.hasTimeout()).as("0 removes the timeout").isFalse();
        assertThat(settings.seed()).isEqualTo(7);
        assertThat(settings.threads()).isEqualTo(ThreadMode.PLATFORM);
    }

    @Test
    void blankValuesCountAsUnset() {
        parameters.put("perf.agents", "  ");
        parameters.put("perf.duration", "");

        assertThat(resolve("configured").agents()).isEqualTo(4);
        assertThat(resolve("configured").durationBased()).isFalse();
    }

    @Test
    void scaleMultipliesIterationsAndDurationsKeepingAtLeastOneIteration() {
        parameters.put("perf.scale", "0.1");
        assertThat(resolve("configured").iterations()).isEqualTo(10);
        assertThat(resolve("defaults").iterations()).isEqualTo(1);
        assertThat(resolve("timed").duration()).isEqualTo(Duration.ofSeconds(1));
        assertThat(resolve("configured").timeout()).as("never shrunk").isEqualTo(Duration.ofMinutes(2));

        parameters.put("perf.scale", "3");
        assertThat(resolve("configured").iterations()).isEqualTo(300);
        assertThat(resolve("timed").duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(resolve("configured").timeout()).as("a soak keeps its headroom").isEqualTo(Duration.ofMinutes(6));
        assertThat(resolve("configured").warmupIterations()).as("warm-up is not scaled").isEqualTo(5);
    }

    @Test
    void warmupIsACountOrADuration() {
        parameters.put("perf.warmup", "12");
        assertThat(resolve("configured").warmupIterations()).isEqualTo(12);

        parameters.put("perf.warmup", "250ms");
        assertThat(resolve("configured").warmupDuration()).isEqualTo(Duration.ofMillis(250));
        assertThat(resolve("configured").warmupIterations()).isZero();
    }

    @Test
    void badConfigurationValuesNameTheKeyAndTheValue() {
        assertInvalid("perf.agents", "0", "expected a whole number of at least 1");
        assertInvalid("perf.iterations", "ten", "expected a whole number of at least 1");
        assertInvalid("perf.duration", "30 secs", "not a duration; " + io.secrethub.perf.units.Durations.EXPECTED);
        assertInvalid("perf.rate", "-5", "expected a number of at least 0");
        assertInvalid("perf.scale", "0", "expected a number greater than 0");
        assertInvalid("perf.seed", "0x2a", "expected a whole number");
        assertInvalid("perf.threads", "green", "expected virtual, platform or auto");
        assertInvalid("perf.Sample.timeout", "forever",
                "not a duration; " + io.secrethub.perf.units.Durations.EXPECTED);
    }

    @Test
    void badAnnotationValuesNameTheAnnotationTheMethodAndTheValue() {
        assertThatThrownBy(() -> resolve("noAgents"))
                .isInstanceOf(PerfConfigurationException.class)
                .hasMessage("Invalid @LoadTest(agents = 0) on Sample.noAgents(): expected a whole number of at least "
                        + "1");
        assertThatThrownBy(() -> resolve("badDuration"))
                .isInstanceOf(PerfConfigurationException.class)
                .hasMessage("Invalid @LoadTest(duration = \"soon\") on Sample.badDuration(): not a duration; "
                        + io.secrethub.perf.units.Durations.EXPECTED);
        assertThatThrownBy(() -> resolve("badWarmup"))
                .isInstanceOf(PerfConfigurationException.class)
                .hasMessageStartingWith("Invalid @LoadTest(warmup = \"-3\") on Sample.badWarmup(): expected warm-up"
                        + " iterations per agent, such as \"100\", a duration, such as \"2s\"")
                .hasMessageEndingWith("or \"steady\" or \"steady:30s\" (until the throughput stops changing, at most"
                        + " 60 s or the time given)");
    }

    private void assertInvalid(String key, String value, String expectation) {
        parameters.clear();
        parameters.put(key, value);
        assertThatThrownBy(() -> resolve("configured"))
                .isInstanceOf(PerfConfigurationException.class)
                .hasMessage("Invalid configuration parameter " + key + " = \"" + value + "\": " + expectation);
    }

    private LoadSettings resolve(String method) {
        try {
            LoadTest annotation = Sample.class.getDeclaredMethod(method).getAnnotation(LoadTest.class);
            return LoadSettingsResolver.resolve(annotation, Sample.class, method, "Sample." + method + "()",
                    ConfigurationSource.of(parameters));
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    /** Annotation carrier only: run by no test, since nested classes are left to the tests that select them. */
    static class Sample {
        @LoadTest(agents = 4, iterations = 100, warmup = "5", rampUp = "1s", timeout = "2m")
        void configured() {
        }

        @LoadTest
        void defaults() {
        }

        @LoadTest(duration = "10s")
        void timed() {
        }

        @LoadTest(agents = 0)
        void noAgents() {
        }

        @LoadTest(duration = "soon")
        void badDuration() {
        }

        @LoadTest(warmup = "-3")
        void badWarmup() {
        }
    }
}
