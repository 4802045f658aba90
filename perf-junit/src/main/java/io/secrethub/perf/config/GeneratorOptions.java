package io.secrethub.perf.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/**
 * Who generated the load and when it counts as the bottleneck.
 *
 * @param runId {@code perf.run.id}; default: one random id per JVM, so results of unrelated runs never merge
 * @param generatorId {@code perf.generator.id}; default: the host name and process id
 * @param strict {@code perf.generator.strict}: fail a test whose generator was the bottleneck, rather than report
 *     figures that measure the generator; default false
 * @param maxLagPercent {@code perf.generator.maxLag}: how far behind schedule an open-model run may fall, as a share
 *     of its measured wall time; default 10%
 * @param maxCpuPercent {@code perf.generator.maxCpu}: the JVM's CPU use, as a share of all its processors, above
 *     which the generator counts as saturated; default 90%
 */
public record GeneratorOptions(String runId, String generatorId, boolean strict, double maxLagPercent,
        double maxCpuPercent) {

    /** The run id of this JVM when {@code perf.run.id} is not set. */
    static final String JVM_RUN_ID = UUID.randomUUID().toString();

    static GeneratorOptions from(ConfigurationSource config) {
        String runId = config.get(PerfKeys.RUN_ID).map(String::trim).filter(id -> !id.isEmpty()).orElse(JVM_RUN_ID);
        String generatorId = config.get(PerfKeys.GENERATOR_ID).map(String::trim).filter(id -> !id.isEmpty())
                .orElseGet(GeneratorOptions::defaultGeneratorId);
        boolean strict = config.setting(PerfKeys.GENERATOR_STRICT).map(RawSetting::asBoolean).orElse(false);
        double maxLag = config.setting(PerfKeys.GENERATOR_MAX_LAG).map(RawSetting::asPercentage)
                .orElse(PerfKeys.DEFAULT_GENERATOR_MAX_LAG);
        double maxCpu = config.setting(PerfKeys.GENERATOR_MAX_CPU).map(RawSetting::asPercentage)
                .orElse(PerfKeys.DEFAULT_GENERATOR_MAX_CPU);
        return new GeneratorOptions(runId, generatorId, strict, maxLag, maxCpu);
    }

    private static String defaultGeneratorId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException unknown) {
            host = "localhost";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
