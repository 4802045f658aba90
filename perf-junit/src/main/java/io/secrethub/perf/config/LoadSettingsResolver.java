package io.secrethub.perf.config;

import io.secrethub.perf.LoadSettings;
import io.secrethub.perf.LoadTest;
import io.secrethub.perf.ThreadMode;
import io.secrethub.perf.units.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Resolves the settings of one {@link LoadTest} method: each attribute from the most specific configuration
 * parameter that is set, else from the annotation; then {@code perf.scale}.
 */
public final class LoadSettingsResolver {

    /**
     * The seed used when {@code perf.seed} is not set: random, but one per JVM, so every method of a run shares
     * it and the printed seed reproduces the run.
     */
    private static final long RUN_SEED = ThreadLocalRandom.current().nextLong();
    /** {@code warmup = "steady"}: until the throughput stops changing. */
    static final String STEADY = "steady";
    /** The longest a steady warm-up lasts when no limit is given. */
    static final Duration STEADY_LIMIT = Duration.ofSeconds(60);

    private final ConfigurationSource config;
    private final Class<?> testClass;
    private final String methodName;
    private final String methodLabel;

    private LoadSettingsResolver(ConfigurationSource config, Class<?> testClass, String methodName,
            String methodLabel) {
        this.config = config;
        this.testClass = testClass;
        this.methodName = methodName;
        this.methodLabel = methodLabel;
    }

    /**
     * The settings for a method of {@code testClass} carrying {@code annotation}.
     *
     * @param methodName the method's name, for its own keys ({@code perf.<Class>.<method>.<attribute>})
     * @param methodLabel how messages name the method, e.g. {@code SecretReadsTest.reads()}
     * @throws PerfConfigurationException naming the key or annotation attribute and the value, if one is invalid
     */
    public static LoadSettings resolve(LoadTest annotation, Class<?> testClass, String methodName,
            String methodLabel, ConfigurationSource config) {
        return new LoadSettingsResolver(config, testClass, methodName, methodLabel).resolve(annotation);
    }

    /**
     * {@code @LoadTest(abortOnFailure)}, or its override {@code perf.abortOnFailure} (globally, per class or per
     * method).
     *
     * @throws PerfConfigurationException naming the key and the value, if it is not {@code true} or {@code false}
     */
    public static boolean abortOnFailure(LoadTest annotation, Class<?> testClass, String methodName,
            String methodLabel, ConfigurationSource config) {
        return new LoadSettingsResolver(config, testClass, methodName, methodLabel)
                .attribute("abortOnFailure", Boolean.toString(annotation.abortOnFailure()), false).asBoolean();
    }

    private LoadSettings resolve(LoadTest annotation) {
        int agents = attribute("agents", Integer.toString(annotation.agents()), false).asInt(1);
        int iterations = attribute("iterations", Integer.toString(annotation.iterations()), false).asInt(1);
        Duration duration = attribute("duration", annotation.duration(), true).asOptionalDuration();
        double rate = attribute("rate", numberText(annotation.rate()), false).asDouble(0);
        RawSetting warmup = attribute("warmup", annotation.warmup(), true);
        Duration rampUp = attribute("rampUp", annotation.rampUp(), true).asOptionalDuration();
        Duration timeout = attribute("timeout", annotation.timeout(), true).asOptionalDuration();

        String warmupText = warmup.text().trim();
        boolean untilSteady = warmupText.equals(STEADY) || warmupText.startsWith(STEADY + ":");
        boolean warmupIsCount = warmupText.isEmpty() || warmupText.chars().allMatch(Character::isDigit);
        int warmupIterations = warmupIsCount && !warmupText.isEmpty() ? warmup.asInt(0) : 0;
        String warmupTime = untilSteady ? warmupText.substring(STEADY.length()).replaceFirst("^:", "") : warmupText;
        Duration warmupDuration = warmupIsCount ? Duration.ZERO
                : untilSteady && warmupTime.isEmpty() ? STEADY_LIMIT
                : Durations.tryParse(warmupTime).filter(d -> !untilSteady || !d.isZero()).orElseThrow(
                        () -> warmup.invalid("expected warm-up iterations per agent, such as \"100\", a duration,"
                                + " such as \"2s\" (" + Durations.EXPECTED + "), or \"steady\" or \"steady:30s\""
                                + " (until the throughput stops changing, at most 60 s or the time given)"));

        double scale = config.setting(PerfKeys.SCALE).map(RawSetting::asPositiveDouble).orElse(1.0);
        long seed = config.setting(PerfKeys.SEED).map(RawSetting::asLong).orElse(RUN_SEED);
        ThreadMode threads =
                config.setting(PerfKeys.THREADS).map(LoadSettingsResolver::threadMode).orElse(ThreadMode.AUTO);

        return new LoadSettings(agents, scale(iterations, scale), scale(duration, scale), rate, warmupIterations,
                warmupDuration, rampUp, scale(timeout, Math.max(1, scale)), scale, seed, threads, untilSteady);
    }

    private static ThreadMode threadMode(RawSetting setting) {
        return ThreadMode.ofKey(setting.text())
                .orElseThrow(() -> setting.invalid("expected virtual, platform or auto"));
    }

    /** The most specific source of one {@code @LoadTest} attribute. */
    private RawSetting attribute(String name, String annotationValue, boolean quoted) {
        for (String key : keysFor(name)) {
            Optional<RawSetting> configured = config.setting(key);
            if (configured.isPresent()) {
                return configured.get();
            }
        }
        String rendering = name + " = " + (quoted ? "\"" + annotationValue + "\"" : annotationValue);
        return RawSetting.ofAnnotation("@LoadTest", rendering, annotationValue, methodLabel);
    }

    /**
     * Most specific first: the method (its class by binary name, canonical name, simple name), then the class (the
     * same three), then global.
     */
    private List<String> keysFor(String attribute) {
        List<String> classes = new ArrayList<>();
        classes.add(testClass.getName());
        String canonical = testClass.getCanonicalName();
        if (canonical != null && !canonical.equals(testClass.getName())) {
            classes.add(canonical);
        }
        classes.add(testClass.getSimpleName());
        List<String> keys = new ArrayList<>();
        for (String name : classes) {
            keys.add(PerfKeys.PREFIX + name + "." + methodName + "." + attribute);
        }
        for (String name : classes) {
            keys.add(PerfKeys.PREFIX + name + "." + attribute);
        }
        keys.add(PerfKeys.PREFIX + attribute);
        return keys;
    }

    private static int scale(int iterations, double scale) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(iterations * scale)));
    }

    private static Duration scale(Duration duration, double scale) {
        if (duration.isZero() || scale == 1) {
            return duration;
        }
        return Duration.ofNanos(Math.max(1, Math.round(duration.toNanos() * scale)));
    }

    private static String numberText(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }
}
