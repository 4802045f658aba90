package io.secrethub.perftests;

import io.secrethub.core.Secret;
import java.util.Map;

/** The secrets the suites seed and read: {@code app/config/secret-<n>}, each with a value that names it. */
final class ConfigSecrets {

    private ConfigSecrets() {
    }

    static String configPath(int n) {
        return "app/config/secret-" + n;
    }

    static Map<String, String> configValue(int n) {
        return Map.of("value", "config-value-" + n);
    }

    /** Fails the operation if a read returned another secret's data (or none): a wrong answer must not pass. */
    static void requireConfigValue(Secret secret, int n) {
        String expected = "config-value-" + n;
        if (secret == null || !expected.equals(secret.data().get("value"))) {
            throw new AssertionError("read of " + configPath(n) + " returned the wrong data");
        }
    }
}
