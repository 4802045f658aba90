package io.secrethub.perf.slo;

import io.secrethub.perf.MaxAllocationPerOp;
import io.secrethub.perf.MaxErrorRate;
import io.secrethub.perf.MaxGcPause;
import io.secrethub.perf.MaxLatencyDrift;
import io.secrethub.perf.MaxMeanLatency;
import io.secrethub.perf.MaxP50;
import io.secrethub.perf.MaxP95;
import io.secrethub.perf.MaxP99;
import io.secrethub.perf.MaxPercentile;
import io.secrethub.perf.MaxQueriesPerOp;
import io.secrethub.perf.MinThroughput;
import io.secrethub.perf.config.PerfKeys;
import io.secrethub.perf.config.RawSetting;
import io.secrethub.perf.units.Durations;
import io.secrethub.perf.units.Figures;
import io.secrethub.perf.units.Sizes;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Reads the SLO annotations of a test method, directly present, repeated or meta-present, into {@link Slo}s.
 * Parsing happens before the load runs, so a malformed target fails fast instead of after a long run.
 */
public final class SloAnnotations {

    /** The shortest window: the sampler's interval follows the shortest window, and a tick costs a little. */
    public static final long MIN_WINDOW_NANOS = 100_000_000;

    /** A percentile annotation's {@code minSamples} when it sets none: {@code perf.slo.minSamples} applies. */
    public static final int UNSET_MIN_SAMPLES = -1;

    private SloAnnotations() {
    }

    /**
     * The method's SLOs, as {@link #read(Method, String, long)} with no default sample minimum.
     *
     * @param methodLabel how messages name the method, e.g. {@code SecretReadsTest.reads()}
     */
    public static List<Slo> read(Method method, String methodLabel) {
        return read(method, methodLabel, 0);
    }

    /**
     * The method's SLOs, grouped by annotation type in the order P50, P95, P99, percentile, mean, throughput,
     * error rate; plus {@link ErrorRateSlo#defaultForMethod()} unless a whole-method {@code @MaxErrorRate} is
     * declared.
     *
     * @param methodLabel how messages name the method, e.g. {@code SecretReadsTest.reads()}
     * @param defaultMinSamples the {@code minSamples} of percentile SLOs that set none ({@code perf.slo.minSamples})
     * @throws io.secrethub.perf.config.PerfConfigurationException naming the annotation, the method and the bad
     *     text, if a target does not parse or is out of range
     */
    public static List<Slo> read(Method method, String methodLabel, long defaultMinSamples) {
        List<Slo> slos = new ArrayList<>();
        for (MaxP50 slo : AnnotationSupport.findRepeatableAnnotations(method, MaxP50.class)) {
            slos.add(percentile("@MaxP50", slo.operation(), 50, slo.value(), slo.window(), slo.minSamples(),
                    defaultMinSamples, methodLabel));
        }
        for (MaxP95 slo : AnnotationSupport.findRepeatableAnnotations(method, MaxP95.class)) {
            slos.add(percentile("@MaxP95", slo.operation(), 95, slo.value(), slo.window(), slo.minSamples(),
                    defaultMinSamples, methodLabel));
        }
        for (MaxP99 slo : AnnotationSupport.findRepeatableAnnotations(method, MaxP99.class)) {
            slos.add(percentile("@MaxP99", slo.operation(), 99, slo.value(), slo.window(), slo.minSamples(),
                    defaultMinSamples, methodLabel));
        }
        for (MaxPercentile slo : AnnotationSupport.findRepeatableAnnotations(method, MaxPercentile.class)) {
            String rendering = "percentile = " + Figures.number(slo.percentile()) + ", max = \"" + slo.max() + "\""
                    + operationRendering(slo.operation()) + windowRendering(slo.window())
                    + minSamplesRendering(slo.minSamples());
            RawSetting max = RawSetting.ofAnnotation("@MaxPercentile", rendering, slo.max(), methodLabel);
            if (!(slo.percentile() > 0 && slo.percentile() <= 100)) {
                throw max.invalid("percentile must be above 0 and at most 100");
            }
            long minSamples = minSamples(max, slo.minSamples(), defaultMinSamples);
            slos.add(windowed(LatencySlo.percentile("@MaxPercentile", slo.operation(), slo.percentile(),
                    max.asDuration().toNanos(), minSamples), "@MaxPercentile", rendering, slo.window(), methodLabel));
        }
        for (MaxMeanLatency slo : AnnotationSupport.findRepeatableAnnotations(method, MaxMeanLatency.class)) {
            RawSetting max = latencyTarget("@MaxMeanLatency", slo.operation(), slo.value(), slo.window(), methodLabel);
            slos.add(windowed(LatencySlo.mean("@MaxMeanLatency", slo.operation(), max.asDuration().toNanos()),
                    "@MaxMeanLatency", rendering(max), slo.window(), methodLabel));
        }
        for (MinThroughput slo : AnnotationSupport.findRepeatableAnnotations(method, MinThroughput.class)) {
            RawSetting min = numberTarget("@MinThroughput", slo.operation(), slo.value(), slo.window(), methodLabel);
            min.asDouble(0);
            slos.add(windowed(new ThroughputSlo("@MinThroughput", slo.operation(), slo.value()), "@MinThroughput",
                    rendering(min), slo.window(), methodLabel));
        }
        for (MaxLatencyDrift slo : AnnotationSupport.findRepeatableAnnotations(method, MaxLatencyDrift.class)) {
            slos.add(drift(slo, methodLabel));
        }
        MaxAllocationPerOp allocation = AnnotationSupport.findAnnotation(method, MaxAllocationPerOp.class).orElse(null);
        if (allocation != null) {
            RawSetting max = RawSetting.ofAnnotation("@MaxAllocationPerOp", "\"" + allocation.value() + "\"",
                    allocation.value(), methodLabel);
            long bytes = Sizes.tryParse(allocation.value()).orElseThrow(() -> max.invalid(Sizes.EXPECTED));
            slos.add(new AllocationSlo("@MaxAllocationPerOp", bytes));
        }
        MaxGcPause gcPause = AnnotationSupport.findAnnotation(method, MaxGcPause.class).orElse(null);
        if (gcPause != null) {
            RawSetting max = RawSetting.ofAnnotation("@MaxGcPause", "\"" + gcPause.value() + "\"", gcPause.value(),
                    methodLabel);
            slos.add(new GcPauseSlo("@MaxGcPause", max.asDuration().toNanos()));
        }
        MaxQueriesPerOp queries = AnnotationSupport.findAnnotation(method, MaxQueriesPerOp.class).orElse(null);
        if (queries != null) {
            RawSetting max = numberTarget("@MaxQueriesPerOp", "", queries.value(), methodLabel);
            slos.add(new QueriesSlo("@MaxQueriesPerOp", max.asDouble(0)));
        }
        boolean methodErrorRateDeclared = false;
        for (MaxErrorRate slo : AnnotationSupport.findRepeatableAnnotations(method, MaxErrorRate.class)) {
            RawSetting percent = numberTarget("@MaxErrorRate", slo.operation(), slo.value(), methodLabel);
            if (percent.asDouble(0) > 100) {
                throw percent.invalid("expected a percentage from 0 to 100");
            }
            slos.add(new ErrorRateSlo("@MaxErrorRate", slo.operation(), slo.value()));
            methodErrorRateDeclared |= slo.operation().isEmpty();
        }
        if (!methodErrorRateDeclared) {
            slos.add(ErrorRateSlo.defaultForMethod());
        }
        return slos;
    }

    private static DriftSlo drift(MaxLatencyDrift slo, String methodLabel) {
        String rendering = "percentile = " + Figures.number(slo.percentile()) + ", max = \"" + slo.max() + "\""
                + operationRendering(slo.operation());
        RawSetting max = RawSetting.ofAnnotation("@MaxLatencyDrift", rendering, slo.max(), methodLabel);
        if (!(slo.percentile() > 0 && slo.percentile() <= 100)) {
            throw max.invalid("percentile must be above 0 and at most 100");
        }
        return new DriftSlo("@MaxLatencyDrift", slo.operation(), slo.percentile(), max.asPercentage());
    }

    private static Slo percentile(String annotation, String operation, double percentile, String text,
            String window, int minSamples, long defaultMinSamples, String methodLabel) {
        RawSetting max = latencyTarget(annotation, operation, text, window, minSamples, methodLabel);
        long needed = minSamples(max, minSamples, defaultMinSamples);
        return windowed(LatencySlo.percentile(annotation, operation, percentile, max.asDuration().toNanos(), needed),
                annotation, rendering(max), window, methodLabel);
    }

    /**
     * The annotation's {@code minSamples}, or {@code defaultMinSamples} when it sets none (-1); below -1 is refused
     * naming the annotation (as {@code setting} renders it) and the method.
     */
    private static long minSamples(RawSetting setting, int minSamples, long defaultMinSamples) {
        if (minSamples < UNSET_MIN_SAMPLES) {
            throw setting.invalid("minSamples must be 0 or more (or -1, the default: " + PerfKeys.SLO_MIN_SAMPLES
                    + ")");
        }
        return minSamples == UNSET_MIN_SAMPLES ? defaultMinSamples : minSamples;
    }

    private static RawSetting latencyTarget(String annotation, String operation, String text, String window,
            String methodLabel) {
        return latencyTarget(annotation, operation, text, window, UNSET_MIN_SAMPLES, methodLabel);
    }

    private static RawSetting latencyTarget(String annotation, String operation, String text, String window,
            int minSamples, String methodLabel) {
        String rendering = operation.isEmpty() && window.isEmpty() && minSamples == UNSET_MIN_SAMPLES
                ? "\"" + text + "\""
                : "value = \"" + text + "\"" + operationRendering(operation) + windowRendering(window)
                        + minSamplesRendering(minSamples);
        return RawSetting.ofAnnotation(annotation, rendering, text, methodLabel);
    }

    private static RawSetting numberTarget(String annotation, String operation, double value, String methodLabel) {
        return numberTarget(annotation, operation, value, "", methodLabel);
    }

    private static RawSetting numberTarget(String annotation, String operation, double value, String window,
            String methodLabel) {
        String text = Double.toString(value);
        String rendering = operation.isEmpty() && window.isEmpty() ? Figures.number(value)
                : "value = " + Figures.number(value) + operationRendering(operation) + windowRendering(window);
        return RawSetting.ofAnnotation(annotation, rendering, text, methodLabel);
    }

    /** {@code slo} as written, or held in every window when {@code window} is set. */
    private static Slo windowed(Slo slo, String annotation, String rendering, String window, String methodLabel) {
        if (window.isEmpty()) {
            return slo;
        }
        RawSetting setting = RawSetting.ofAnnotation(annotation, rendering, window, methodLabel);
        long nanos = Durations.tryParse(window).map(Duration::toNanos).orElseThrow(
                () -> setting.invalid("window: not a duration; " + Durations.EXPECTED));
        if (nanos < MIN_WINDOW_NANOS) {
            throw setting.invalid("window must be at least 100ms, the finest the sampler keeps");
        }
        return new WindowedSlo(slo, nanos);
    }

    /** The annotation's attributes as {@link RawSetting#origin()} shows them, for a second setting of it. */
    private static String rendering(RawSetting setting) {
        String origin = setting.origin();
        return origin.substring(origin.indexOf('(') + 1, origin.lastIndexOf(") on "));
    }

    private static String minSamplesRendering(int minSamples) {
        return minSamples == UNSET_MIN_SAMPLES ? "" : ", minSamples = " + minSamples;
    }

    private static String windowRendering(String window) {
        return window.isEmpty() ? "" : ", window = \"" + window + "\"";
    }

    private static String operationRendering(String operation) {
        return operation.isEmpty() ? "" : ", operation = \"" + operation + "\"";
    }
}
