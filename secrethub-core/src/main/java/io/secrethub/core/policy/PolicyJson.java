package io.secrethub.core.policy;

import io.secrethub.core.InvalidRequestException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.jr.ob.JSON;

/** Vault's JSON policy form, read and written with jackson-jr. */
final class PolicyJson {

    /** Policies are small documents; bounding the text bounds parsing work on hostile input. */
    static final int MAX_JSON_CHARS = 1024 * 1024;

    /** Duplicate keys are refused: parsers disagree on which duplicate wins, so the text is ambiguous. */
    private static final JSON READER = JSON.std.with(JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS);

    /** Vault rule keys SecretHub does not implement; refused so a restriction is never silently lost. */
    private static final Set<String> UNSUPPORTED_RULE_KEYS = Set.of("allowed_parameters", "denied_parameters",
            "required_parameters", "min_wrapping_ttl", "max_wrapping_ttl", "policy");

    /** Vault capabilities that have no SecretHub equivalent. */
    private static final Set<String> UNSUPPORTED_CAPABILITIES = Set.of("patch", "subscribe", "recover");

    private PolicyJson() {
    }

    static Policy parse(String name, String json) {
        Policy.requireDefinableName(name);
        if (json == null || json.isBlank()) {
            throw invalid(name, "the policy document is empty");
        }
        if (json.length() > MAX_JSON_CHARS) {
            throw invalid(name, "the policy document is longer than " + MAX_JSON_CHARS + " characters");
        }
        Map<String, Object> document;
        try {
            document = READER.mapFrom(json);
        } catch (JacksonException e) {
            throw invalid(name, "not valid JSON: " + e.getOriginalMessage());
        }
        if (document == null) {
            throw invalid(name, "expected a JSON object with a \"path\" member");
        }
        for (String key : document.keySet()) {
            if (!"path".equals(key)) {
                throw invalid(name, "unsupported top-level member \"" + key + "\"; only \"path\" is supported");
            }
        }
        Object paths = document.get("path");
        if (!(paths instanceof Map)) {
            throw invalid(name, "\"path\" must be an object mapping path patterns to rules");
        }
        Policy.Builder builder = Policy.builder(name);
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) paths).entrySet()) {
            String pattern = (String) entry.getKey();
            try {
                builder.path(pattern, capabilities(pattern, entry.getValue()));
            } catch (InvalidRequestException e) {
                throw invalid(name, e.getMessage());
            }
        }
        return builder.build();
    }

    private static List<Capability> capabilities(String pattern, Object rule) {
        if (!(rule instanceof Map)) {
            throw new InvalidRequestException("path \"" + pattern + "\": expected an object with \"capabilities\"");
        }
        Map<?, ?> members = (Map<?, ?>) rule;
        for (Object key : members.keySet()) {
            if (UNSUPPORTED_RULE_KEYS.contains(key)) {
                throw new InvalidRequestException("path \"" + pattern + "\": \"" + key
                        + "\" is not supported by SecretHub");
            }
            if (!"capabilities".equals(key)) {
                throw new InvalidRequestException("path \"" + pattern + "\": unknown member \"" + key + "\"");
            }
        }
        Object names = members.get("capabilities");
        if (!(names instanceof List)) {
            throw new InvalidRequestException("path \"" + pattern + "\": \"capabilities\" must be an array of strings");
        }
        List<Capability> capabilities = new ArrayList<>();
        for (Object capabilityName : (List<?>) names) {
            if (!(capabilityName instanceof String)) {
                throw new InvalidRequestException("path \"" + pattern + "\": capability " + capabilityName
                        + " is not a string");
            }
            String text = (String) capabilityName;
            if (UNSUPPORTED_CAPABILITIES.contains(text)) {
                throw new InvalidRequestException("path \"" + pattern + "\": capability \"" + text
                        + "\" is not supported by SecretHub");
            }
            capabilities.add(Capability.fromVaultName(text).orElseThrow(() -> new InvalidRequestException(
                    "path \"" + pattern + "\": unknown capability \"" + text
                            + "\"; expected create, read, update, delete, list, deny or sudo")));
        }
        return capabilities;
    }

    static String write(Policy policy) {
        Map<String, Object> paths = new LinkedHashMap<>();
        for (PathRule rule : policy.rules()) {
            List<String> names = new ArrayList<>(rule.capabilities().size());
            rule.capabilities().forEach(capability -> names.add(capability.vaultName()));
            paths.put(rule.pattern(), Map.of("capabilities", names));
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("path", paths);
        return JSON.std.asString(document);
    }

    private static InvalidRequestException invalid(String policyName, String problem) {
        return new InvalidRequestException("invalid policy \"" + policyName + "\": " + problem);
    }
}
