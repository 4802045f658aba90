package io.secrethub.server.http;

import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.jr.ob.JSON;

/** JSON with jackson-jr: objects as maps, duplicate keys refused (parsers disagree which one wins). */
public final class Json {

    private static final JSON READER = JSON.std.with(JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS);
    private static final JSON WRITER = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);

    private Json() {
    }

    /** Parses a JSON object; anything else is a 400 with Vault's wording. */
    public static Map<String, Object> parseObject(String text) {
        try {
            Object value = READER.anyFrom(text);
            if (value instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) map;
                return object;
            }
            throw ApiException.badRequest("failed to parse JSON input: expected a JSON object");
        } catch (JacksonException e) {
            // The parser's message may quote the input, which may be a secret: say only that it is malformed.
            throw ApiException.badRequest("failed to parse JSON input: malformed JSON");
        }
    }

    public static String write(Object value) {
        try {
            return WRITER.asString(value);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write a response as JSON", e);
        }
    }
}
