package io.secrethub.server.http;

import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.jr.ob.JSON;

/** JSON with jackson-jr: objects as maps, duplicate keys refused (parsers disagree which one wins). */
public final class Json {

    /**
     * jackson-jr on a factory whose buffers are kept per thread. {@code JSON.std}'s default pool never gets its
     * buffer recycler back from jackson-jr, so every call allocated fresh 8-16 KB buffers: 19 KB per small
     * write-and-parse instead of 2 KB, and 20-30% of all bytes allocated on the HTTPS read and login paths
     * (JFR, issue 14). On virtual threads each thread is new, so this is no worse than before there.
     */
    public static final JSON RECYCLING = JSON.builder(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.threadLocalPool()).build()).build();

    private static final JSON READER = RECYCLING.with(JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS);
    private static final JSON WRITER = RECYCLING.with(JSON.Feature.WRITE_NULL_PROPERTIES);

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
