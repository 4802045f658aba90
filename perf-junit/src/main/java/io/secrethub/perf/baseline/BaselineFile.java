package io.secrethub.perf.baseline;

import io.secrethub.perf.report.ResultJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A baseline file: JSON mapping {@code fully.qualified.Class#method} to a {@link BaselineEntry}. Meant to be
 * committed, so entries are sorted by key and each method's entry is replaced on its own, keeping diffs small.
 */
public final class BaselineFile {

    /** Bumped when an entry changes meaning. */
    public static final int FORMAT = 1;

    /** Methods may run in parallel; read-merge-write must not interleave within this JVM. */
    private static final Object WRITE_LOCK = new Object();

    private BaselineFile() {
    }

    /** The key of a method in the file. */
    public static String key(String testClass, String method) {
        return testClass + "#" + method;
    }

    /**
     * The entries of {@code file}, by key.
     *
     * @throws IllegalArgumentException if the file is not a baseline
     */
    public static Map<String, BaselineEntry> read(Path file) {
        Map<String, Object> json = ResultJson.readJson(file);
        Object methods = json.get("methods");
        if (!(methods instanceof Map<?, ?> entries)) {
            throw new IllegalArgumentException(file + " is not a perf baseline: no \"methods\" object");
        }
        Map<String, BaselineEntry> result = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : entries.entrySet()) {
            try {
                result.put(String.valueOf(entry.getKey()), BaselineEntry.fromMap((Map<?, ?>) entry.getValue()));
            } catch (ClassCastException | NullPointerException malformed) {
                throw new IllegalArgumentException(file + " has a malformed entry for " + entry.getKey(), malformed);
            }
        }
        return result;
    }

    /** Records {@code entry} under {@code key}, keeping the file's other entries. Creates the file if needed. */
    public static void record(Path file, String key, BaselineEntry entry) {
        synchronized (WRITE_LOCK) {
            Map<String, BaselineEntry> entries = Files.exists(file) ? new TreeMap<>(read(file)) : new TreeMap<>();
            entries.put(key, entry);
            Map<String, Object> methods = new LinkedHashMap<>();
            entries.forEach((name, value) -> methods.put(name, value.toMap()));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("format", FORMAT);
            json.put("methods", methods);
            ResultJson.writeJson(json, file);
        }
    }
}
