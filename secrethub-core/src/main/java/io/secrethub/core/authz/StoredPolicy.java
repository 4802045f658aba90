package io.secrethub.core.authz;

import io.secrethub.core.policy.Policy;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.jr.ob.JSON;

/**
 * A policy's {@code document} column: its canonical JSON form, or, when the text it was written as is kept
 * ({@link Policy#withSource}), both in one wrapper. One column, so the row MAC over the document covers the text
 * too, and rows written before the text was kept read as they always did.
 */
final class StoredPolicy {

    /** Marks the wrapper; Vault's JSON policy form has no such key, and {@link Policy#fromJson} refuses it. */
    static final String WRAPPER = "secrethub:policy";

    private StoredPolicy() {
    }

    static String document(Policy policy) {
        if (policy.source().isEmpty()) {
            return policy.toJson();
        }
        Map<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put("document", policy.toJson());
        wrapped.put("source", policy.source().get());
        return JSON.std.asString(Map.of(WRAPPER, wrapped));
    }

    static Policy parse(String name, String document) {
        Map<String, Object> map = JSON.std.mapFrom(document);
        Object wrapped = map.get(WRAPPER);
        if (wrapped instanceof Map<?, ?> parts && parts.get("document") instanceof String json
                && parts.get("source") instanceof String source) {
            return Policy.fromJson(name, json).withSource(source);
        }
        return Policy.fromJson(name, document);
    }
}
