package io.secrethub.perf.config;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads configuration parameters by key, treating blank values as unset (so {@code -Dperf.agents=} from an
 * empty CI variable changes nothing). Usually backed by
 * {@link org.junit.jupiter.api.extension.ExtensionContext#getConfigurationParameter(String)}.
 */
public final class ConfigurationSource {

    private final Function<String, Optional<String>> lookup;

    /** Backed by {@code lookup}, e.g. {@code context::getConfigurationParameter}. */
    public ConfigurationSource(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    /** Backed by a fixed map; for tests and tools. */
    public static ConfigurationSource of(Map<String, String> values) {
        return new ConfigurationSource(key -> Optional.ofNullable(values.get(key)));
    }

    /** The trimmed value of {@code key}, if set and not blank. */
    public Optional<String> get(String key) {
        return lookup.apply(key).map(String::trim).filter(value -> !value.isEmpty());
    }

    /** The value of {@code key} with where it came from, for parsing with a message that names both. */
    public Optional<RawSetting> setting(String key) {
        return get(key).map(value -> RawSetting.ofParameter(key, value));
    }
}
