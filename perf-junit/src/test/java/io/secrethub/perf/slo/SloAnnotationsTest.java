package io.secrethub.perf.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.perf.MaxErrorRate;
import io.secrethub.perf.MaxLatencyDrift;
import io.secrethub.perf.MaxMeanLatency;
import io.secrethub.perf.MaxP50;
import io.secrethub.perf.MaxP95;
import io.secrethub.perf.MaxP99;
import io.secrethub.perf.MaxPercentile;
import io.secrethub.perf.MinThroughput;
import io.secrethub.perf.config.PerfConfigurationException;
import io.secrethub.perf.units.Durations;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

class SloAnnotationsTest {

    @Test
    void readsEveryAnnotationRepeatedAndPerOperation() {
        List<Slo> slos = read("everything");

        assertThat(slos).containsExactly(
                LatencySlo.percentile("@MaxP50", "", 50, 1_000_000),
                LatencySlo.percentile("@MaxP95", "read", 95, 5_000_000),
                LatencySlo.percentile("@MaxP95", "write", 95, 20_000_000),
                LatencySlo.percentile("@MaxP99", "", 99, 250_000),
                LatencySlo.percentile("@MaxPercentile", "", 99.9, 1_500_000_000),
                LatencySlo.mean("@MaxMeanLatency", "", 2_000_000),
                new ThroughputSlo("@MinThroughput", "", 500),
                new ErrorRateSlo("@MaxErrorRate", "", 0.5));
    }

    @Test
    void withoutAMethodWideErrorRateTheDefaultForbidsErrors() {
        assertThat(read("operationErrorRateOnly")).containsExactly(
                new ErrorRateSlo("@MaxErrorRate", "read", 5), ErrorRateSlo.defaultForMethod());
        assertThat(read("none")).containsExactly(ErrorRateSlo.defaultForMethod());
    }

    @Test
    void metaAnnotationsCompose() {
        assertThat(read("composed")).contains(LatencySlo.percentile("@MaxP95", "", 95, 10_000_000),
                new ErrorRateSlo("@MaxErrorRate", "", 0));
    }

    @Test
    void malformedTargetsNameTheAnnotationTheMethodAndTheText() {
        assertThatThrownBy(() -> read("badP99"))
                .isInstanceOf(PerfConfigurationException.class)
                .hasMessage("Invalid @MaxP99(\"fast\") on Sample.badP99(): not a duration; " + Durations.EXPECTED);
        assertThatThrownBy(() -> read("badOperationTarget"))
                .hasMessage("Invalid @MaxMeanLatency(value = \"2 ms per call\", operation = \"read\") on"
                        + " Sample.badOperationTarget(): not a duration; " + Durations.EXPECTED);
        assertThatThrownBy(() -> read("badPercentile"))
                .hasMessage("Invalid @MaxPercentile(percentile = 150, max = \"1s\") on Sample.badPercentile():"
                        + " percentile must be above 0 and at most 100");
        assertThatThrownBy(() -> read("badErrorRate"))
                .hasMessage("Invalid @MaxErrorRate(120) on Sample.badErrorRate(): expected a percentage from 0 to 100");
        assertThatThrownBy(() -> read("negativeThroughput"))
                .hasMessage("Invalid @MinThroughput(-1) on Sample.negativeThroughput(): expected a number of at least "
                        + "0");
    }

    @Test
    void aWindowMakesTheTargetHoldInEveryWindow() {
        assertThat(read("windowed")).containsExactly(
                new WindowedSlo(LatencySlo.percentile("@MaxP99", "", 99, 50_000_000), 1_000_000_000),
                new WindowedSlo(new ThroughputSlo("@MinThroughput", "read", 100), 500_000_000),
                ErrorRateSlo.defaultForMethod());
    }

    @Test
    void readsDriftLimitsInPercent() {
        assertThat(read("drifts")).containsExactly(
                new DriftSlo("@MaxLatencyDrift", "", 95, 20),
                new DriftSlo("@MaxLatencyDrift", "read", 99, 150),
                ErrorRateSlo.defaultForMethod());
    }

    @Test
    void malformedDriftLimitsNameTheAnnotationTheMethodAndTheText() {
        assertThatThrownBy(() -> read("spacedDrift"))
                .isInstanceOf(PerfConfigurationException.class)
                .hasMessage("Invalid @MaxLatencyDrift(percentile = 95, max = \"20 %\") on Sample.spacedDrift():"
                        + " expected a percentage such as \"20%\" (digits, then %, no space)");
        assertThatThrownBy(() -> read("negativeDrift"))
                .hasMessageStartingWith("Invalid @MaxLatencyDrift(percentile = 95, max = \"-5%\") on"
                        + " Sample.negativeDrift(): expected a percentage");
        assertThatThrownBy(() -> read("driftPercentile"))
                .hasMessage("Invalid @MaxLatencyDrift(percentile = 150, max = \"20%\") on Sample.driftPercentile():"
                        + " percentile must be above 0 and at most 100");
    }

    @Test
    void percentileMinimumsComeFromTheAnnotationOrElseTheConfiguredDefault() {
        assertThat(read("minimums", 500)).containsExactly(
                LatencySlo.percentile("@MaxP50", "", 50, 1_000_000, 500),
                LatencySlo.percentile("@MaxP95", "", 95, 5_000_000, 200),
                LatencySlo.percentile("@MaxP99", "", 99, 200_000_000, 0),
                new WindowedSlo(LatencySlo.percentile("@MaxP99", "read", 99, 50_000_000, 100), 1_000_000_000),
                LatencySlo.percentile("@MaxPercentile", "", 99.9, 1_000_000_000, 10_000),
                LatencySlo.mean("@MaxMeanLatency", "", 2_000_000),
                ErrorRateSlo.defaultForMethod());
        assertThat(read("minimums")).as("no configured default: 0").first()
                .isEqualTo(LatencySlo.percentile("@MaxP50", "", 50, 1_000_000, 0));
    }

    @Test
    void aNegativeMinimumNamesTheAnnotationTheMethodAndTheValue() {
        assertThatThrownBy(() -> read("negativeMinimum"))
                .isInstanceOf(PerfConfigurationException.class)
                .hasMessage("Invalid @MaxP95(value = \"5ms\", minSamples = -2) on Sample.negativeMinimum(): minSamples"
                        + " must be 0 or more (or -1, the default: perf.slo.minSamples)");
    }

    private static List<Slo> read(String name) {
        return read(name, 0);
    }

    private static List<Slo> read(String name, long defaultMinSamples) {
        try {
            Method method = Sample.class.getDeclaredMethod(name);
            return SloAnnotations.read(method, "Sample." + name + "()", defaultMinSamples);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    @Retention(RetentionPolicy.RUNTIME)
    @MaxP95("10ms")
    @MaxErrorRate(0)
    @interface StandardSlos {
    }

    static class Sample {
        @MaxP50("1ms")
        @MaxP95(value = "5ms", operation = "read")
        @MaxP95(value = "20ms", operation = "write")
        @MaxP99("250us")
        @MaxPercentile(percentile = 99.9, max = "1.5s")
        @MaxMeanLatency("2ms")
        @MinThroughput(500)
        @MaxErrorRate(0.5)
        void everything() {
        }

        @MaxErrorRate(value = 5, operation = "read")
        void operationErrorRateOnly() {
        }

        void none() {
        }

        @StandardSlos
        void composed() {
        }

        @MaxP99("fast")
        void badP99() {
        }

        @MaxMeanLatency(value = "2 ms per call", operation = "read")
        void badOperationTarget() {
        }

        @MaxPercentile(percentile = 150, max = "1s")
        void badPercentile() {
        }

        @MaxErrorRate(120)
        void badErrorRate() {
        }

        @MaxP99(value = "50ms", window = "1s")
        @MinThroughput(value = 100, operation = "read", window = "500ms")
        void windowed() {
        }

        @MaxLatencyDrift(max = "20%")
        @MaxLatencyDrift(percentile = 99, max = "150%", operation = "read")
        void drifts() {
        }

        @MaxLatencyDrift(max = "20 %")
        void spacedDrift() {
        }

        @MaxLatencyDrift(max = "-5%")
        void negativeDrift() {
        }

        @MaxLatencyDrift(percentile = 150, max = "20%")
        void driftPercentile() {
        }

        @MinThroughput(-1)
        void negativeThroughput() {
        }

        @MaxP50("1ms")
        @MaxP95(value = "5ms", minSamples = 200)
        @MaxP99(value = "200ms", minSamples = 0)
        @MaxP99(value = "50ms", operation = "read", window = "1s", minSamples = 100)
        @MaxPercentile(percentile = 99.9, max = "1s", minSamples = 10_000)
        @MaxMeanLatency("2ms")
        void minimums() {
        }

        @MaxP95(value = "5ms", minSamples = -2)
        void negativeMinimum() {
        }
    }
}
