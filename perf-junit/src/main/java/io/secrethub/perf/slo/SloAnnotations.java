package io.secrethub.perf.slo;

import io.secrethub.perf.MaxErrorRate;
import io.secrethub.perf.MaxLatencyDrift;
import io.secrethub.perf.MaxMeanLatency;
import io.secrethub.perf.MaxP50;
import io.secrethub.perf.MaxP95;
import io.secrethub.perf.MaxP99;
import io.secrethub.perf.MaxPercentile;
import io.secrethub.perf.MinThroughput;
import io.secrethub.perf.config.RawSetting;
import io.secrethub.perf.units.Figures;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Reads the SLO annotations of a test method, directly present, repeated or meta-present, into {@link Slo}s.
 * Parsing happens before the load runs, so a malformed target fails fast instead of after a long run.
 */
public final class SloAnnotations {

    private SloAnnotations() {
    }

    /**
     * The method's SLOs, grouped by annotation type in the order P50, P95, P99, percentile, mean, throughput,
     * error rate; plus {@link ErrorRateSlo#defaultForMethod()} unless a whole-method {@code @MaxErrorRate} is
     * declared.
     *
     * @param methodLabel how messages name the method, e.g. {@code SecretReadsTest.reads()}
     * @throws io.secrethub.perf.config.PerfConfigurationException naming the annotation, the method and the bad
     *     text, if a target does not parse or is out of range
     */
    public static List<Slo> read(Method method, String methodLabel) {
        List<Slo> slos = new ArrayList<>();
        for (MaxP50 slo : AnnotationSupport.findRepeatableAnnotations(method, MaxP50.class)) {
            slos.add(percentile("@MaxP50", slo.operation(), 50, slo.value(), methodLabel));
        }
        for (MaxP95 slo : AnnotationSupport.findRepeatableAnnotations(method, MaxP95.class)) {
            slos.add(percentile("@MaxP95", slo.operation(), 95, slo.value(), methodLabel));
        }
        for (MaxP99 slo : AnnotationSupport.findRepeatableAnnotations(method, MaxP99.class)) {
            slos.add(percentile("@MaxP99", slo.operation(), 99, slo.value(), methodLabel));
        }
        for (MaxPercentile slo : AnnotationSupport.findRepeatableAnnotations(method, MaxPercentile.class)) {
            String rendering = "percentile = " + Figures.number(slo.percentile()) + ", max = \"" + slo.max() + "\""
                    + operationRendering(slo.operation());
            RawSetting max = RawSetting.ofAnnotation("@MaxPercentile", rendering, slo.max(), methodLabel);
            if (!(slo.percentile() > 0 && slo.percentile() <= 100)) {
                throw max.invalid("percentile must be above 0 and at most 100");
            }
            slos.add(LatencySlo.percentile("@MaxPercentile", slo.operation(), slo.percentile(),
                    max.asDuration().toNanos()));
        }
        for (MaxMeanLatency slo : AnnotationSupport.findRepeatableAnnotations(method, MaxMeanLatency.class)) {
            RawSetting max = latencyTarget("@MaxMeanLatency", slo.operation(), slo.value(), methodLabel);
            slos.add(LatencySlo.mean("@MaxMeanLatency", slo.operation(), max.asDuration().toNanos()));
        }
        for (MinThroughput slo : AnnotationSupport.findRepeatableAnnotations(method, MinThroughput.class)) {
            numberTarget("@MinThroughput", slo.operation(), slo.value(), methodLabel).asDouble(0);
            slos.add(new ThroughputSlo("@MinThroughput", slo.operation(), slo.value()));
        }
        for (MaxLatencyDrift slo : AnnotationSupport.findRepeatableAnnotations(method, MaxLatencyDrift.class)) {
            slos.add(drift(slo, methodLabel));
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

    private static LatencySlo percentile(
            String annotation, String operation, double percentile, String text, String methodLabel) {
        RawSetting max = latencyTarget(annotation, operation, text, methodLabel);
        return LatencySlo.percentile(annotation, operation, percentile, max.asDuration().toNanos());
    }

    private static RawSetting latencyTarget(String annotation, String operation, String text, String methodLabel) {
        String rendering = operation.isEmpty() ? "\"" + text + "\""
                : "value = \"" + text + "\"" + operationRendering(operation);
        return RawSetting.ofAnnotation(annotation, rendering, text, methodLabel);
    }

    private static RawSetting numberTarget(String annotation, String operation, double value, String methodLabel) {
        String text = Double.toString(value);
        String rendering = operation.isEmpty() ? Figures.number(value)
                : "value = " + Figures.number(value) + operationRendering(operation);
        return RawSetting.ofAnnotation(annotation, rendering, text, methodLabel);
    }

    private static String operationRendering(String operation) {
        return operation.isEmpty() ? "" : ", operation = \"" + operation + "\"";
    }
}
