package io.secrethub.core.secrets;

import io.secrethub.core.IntegrityException;
import io.secrethub.core.InvalidRequestException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.jr.ob.JSON;

/**
 * The plaintext form of a version's data: a JSON object of strings (jackson-jr), which the barrier
 * encrypts. Validation messages name keys by position, never by content or value.
 */
final class SecretData {

    static final int MAX_KEYS = 1_000;
    static final int MAX_KEY_LENGTH = 256;
    static final int MAX_BYTES = 1 << 20;

    private SecretData() {
    }

    /** The data as UTF-8 JSON. The caller should zero the result once encrypted. */
    static byte[] encode(Map<String, String> data) {
        if (data == null) {
            throw new InvalidRequestException("data is required (use an empty map for no keys)");
        }
        if (data.size() > MAX_KEYS) {
            throw new InvalidRequestException("data has " + data.size() + " keys; the limit is " + MAX_KEYS);
        }
        int position = 0;
        for (Map.Entry<String, String> entry : data.entrySet()) {
            position++;
            String key = entry.getKey();
            if (key == null || key.isEmpty()) {
                throw new InvalidRequestException("data key #" + position + " is empty");
            }
            if (key.length() > MAX_KEY_LENGTH) {
                throw new InvalidRequestException("data key #" + position + " is longer than " + MAX_KEY_LENGTH
                        + " characters");
            }
            if (entry.getValue() == null) {
                throw new InvalidRequestException("data key #" + position + " has no value (null)");
            }
        }
        byte[] json;
        try {
            json = JSON.std.asBytes(data);
        } catch (JacksonException e) {
            throw new InvalidRequestException("data cannot be encoded");
        }
        if (json.length > MAX_BYTES) {
            Arrays.fill(json, (byte) 0);
            throw new InvalidRequestException("data is " + json.length + " bytes encoded; the limit is " + MAX_BYTES);
        }
        return json;
    }

    static Map<String, String> decode(byte[] json) {
        Map<String, Object> parsed;
        try {
            parsed = JSON.std.mapFrom(json);
        } catch (JacksonException e) {
            throw new IntegrityException("decrypted secret data is not a JSON object");
        }
        Map<String, String> data = new LinkedHashMap<>(parsed.size() * 2);
        for (Map.Entry<String, Object> entry : parsed.entrySet()) {
            if (!(entry.getValue() instanceof String value)) {
                throw new IntegrityException("decrypted secret data holds a non-string value");
            }
            data.put(entry.getKey(), value);
        }
        return Collections.unmodifiableMap(data);
    }
}
