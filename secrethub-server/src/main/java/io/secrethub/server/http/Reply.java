package io.secrethub.server.http;

import java.util.Map;

/**
 * What an endpoint answers: a status and a JSON body, or none (204).
 *
 * @param status the HTTP status
 * @param body the JSON object, or {@code null} for no body
 */
public record Reply(int status, Map<String, Object> body) {

    public static Reply noContent() {
        return new Reply(204, null);
    }

    public static Reply ok(Map<String, Object> body) {
        return new Reply(200, body);
    }
}
