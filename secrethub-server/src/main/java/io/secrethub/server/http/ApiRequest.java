package io.secrethub.server.http;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One API call as the endpoints see it: the operation, the path below {@code /v1/}, the query, the JSON
 * body, the token, the caller's address and (over mTLS) its certificate chain.
 */
public final class ApiRequest {

    private final Operation operation;
    private final String path;
    private final Map<String, List<String>> query;
    private final Map<String, Object> body;
    private final String token;
    private final String clientAddress;
    private final X509Certificate[] peerCertificates;

    public ApiRequest(Operation operation, String path, Map<String, List<String>> query, Map<String, Object> body,
            String token, String clientAddress, X509Certificate[] peerCertificates) {
        this.operation = operation;
        this.path = path;
        this.query = query;
        this.body = body == null ? Map.of() : body;
        this.token = token;
        this.clientAddress = clientAddress;
        this.peerCertificates = peerCertificates;
    }

    public Operation operation() {
        return operation;
    }

    /** The path below {@code /v1/}, e.g. {@code secret/data/app/db}. */
    public String path() {
        return path;
    }

    /** The token ({@code X-Vault-Token} or {@code Authorization: Bearer}), or {@code null}. */
    public String token() {
        return token;
    }

    public String clientAddress() {
        return clientAddress;
    }

    /** The client's certificate chain when it offered one, leaf first. */
    public Optional<X509Certificate[]> peerCertificates() {
        return peerCertificates == null || peerCertificates.length == 0 ? Optional.empty()
                : Optional.of(peerCertificates.clone());
    }

    public Map<String, Object> body() {
        return body;
    }

    /** A query parameter (first value). */
    public Optional<String> query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** A string field of the body, else of the query (Vault reads both for GET parameters). */
    public Optional<String> string(String name) {
        Object value = body.get(name);
        if (value == null) {
            return query(name);
        }
        if (value instanceof String s) {
            return Optional.of(s);
        }
        if (value instanceof Number || value instanceof Boolean) {
            return Optional.of(value.toString());
        }
        throw ApiException.badRequest("invalid type for field \"" + name + "\": expected a string");
    }

    public String requireString(String name) {
        return string(name).filter(s -> !s.isEmpty())
                .orElseThrow(() -> ApiException.badRequest("missing " + name));
    }

    /** An integer field given as a JSON number or a numeric string. */
    public Optional<Integer> integer(String name) {
        Object value = body.containsKey(name) ? body.get(name) : query(name).orElse(null);
        return Optional.ofNullable(value).map(v -> toInt(name, v));
    }

    public Optional<Boolean> bool(String name) {
        Object value = body.containsKey(name) ? body.get(name) : query(name).orElse(null);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Boolean b) {
            return Optional.of(b);
        }
        if (value instanceof String s && (s.equals("true") || s.equals("false"))) {
            return Optional.of(Boolean.parseBoolean(s));
        }
        throw ApiException.badRequest("invalid type for field \"" + name + "\": expected a boolean");
    }

    /** A duration in Vault's forms: seconds as a number, or text such as {@code "90s"}, {@code "1h30m"}. */
    public Optional<Duration> duration(String name) {
        Object value = body.containsKey(name) ? body.get(name) : query(name).orElse(null);
        if (value == null || "".equals(value)) {
            return Optional.empty();
        }
        return Optional.of(VaultDurations.parse(name, value));
    }

    /** A list field: a JSON array, or Vault's comma-separated string form. */
    public List<String> strings(String name) {
        Object value = body.get(name);
        if (value == null) {
            return query(name).map(ApiRequest::commaList).orElse(List.of());
        }
        if (value instanceof String s) {
            return commaList(s);
        }
        if (value instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            for (Object item : list) {
                if (!(item instanceof String) && !(item instanceof Number)) {
                    throw ApiException.badRequest("invalid type for field \"" + name + "\": expected strings");
                }
                out.add(item.toString());
            }
            return out;
        }
        throw ApiException.badRequest("invalid type for field \"" + name + "\": expected a list");
    }

    /** A list of integers (KV versions): a JSON array of numbers, or a comma-separated string. */
    public int[] ints(String name) {
        List<String> texts = body.get(name) instanceof List<?> list
                ? list.stream().map(String::valueOf).toList() : strings(name);
        int[] values = new int[texts.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = toInt(name, texts.get(i));
        }
        return values;
    }

    private static List<String> commaList(String text) {
        List<String> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    private static int toInt(String name, Object value) {
        try {
            if (value instanceof Number n) {
                double d = n.doubleValue();
                if (d != Math.rint(d) || d > Integer.MAX_VALUE || d < Integer.MIN_VALUE) {
                    throw new NumberFormatException();
                }
                return n.intValue();
            }
            return Integer.parseInt(value.toString().strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid type for field \"" + name + "\": expected an integer");
        }
    }
}
