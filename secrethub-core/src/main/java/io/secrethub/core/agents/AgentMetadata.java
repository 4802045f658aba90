package io.secrethub.core.agents;

import io.secrethub.core.Agents;
import io.secrethub.core.InvalidRequestException;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.jr.ob.JSON;

/** Validates agent metadata and renders it as JSON for the {@code agents.metadata} column. */
final class AgentMetadata {

    private AgentMetadata() {
    }

    /** @throws InvalidRequestException if there are too many entries or a key or value is malformed */
    static String toJson(Map<String, String> metadata) {
        Map<String, String> sorted = new TreeMap<>();
        if (metadata != null) {
            if (metadata.size() > Agents.MAX_METADATA_ENTRIES) {
                throw new InvalidRequestException("at most " + Agents.MAX_METADATA_ENTRIES + " metadata entries");
            }
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                requireKey(e.getKey());
                requireValue(e.getValue());
                sorted.put(e.getKey(), e.getValue());
            }
        }
        try {
            return JSON.std.asString(sorted);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot encode agent metadata", e);
        }
    }

    private static void requireKey(String key) {
        if (key == null || key.isEmpty() || key.length() > Agents.MAX_METADATA_KEY_LENGTH) {
            throw new InvalidRequestException("metadata keys must be 1-" + Agents.MAX_METADATA_KEY_LENGTH
                    + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-' || c == '/';
            if (!ok) {
                throw new InvalidRequestException("metadata keys may hold only letters, digits, '.', '_', '-' and '/'");
            }
        }
    }

    private static void requireValue(String value) {
        if (value == null || value.length() > Agents.MAX_METADATA_VALUE_LENGTH) {
            throw new InvalidRequestException("metadata values must be at most " + Agents.MAX_METADATA_VALUE_LENGTH
                    + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new InvalidRequestException("metadata values may hold only printable ASCII");
            }
        }
    }
}
