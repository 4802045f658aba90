package io.secrethub.server.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Paths below {@code /v1/} to endpoints: exact paths first, then the longest matching prefix. */
public final class Router {

    /** A matched route: the endpoint and the rest of the path after its prefix. */
    public record Match(Endpoint endpoint, String rest) {
    }

    private record Prefix(String prefix, Endpoint endpoint) {
    }

    private final Map<String, Endpoint> exact = new HashMap<>();
    private final List<Prefix> prefixes = new ArrayList<>();

    /** Routes exactly {@code path}. */
    public Router exact(String path, Endpoint endpoint) {
        if (exact.putIfAbsent(path, endpoint) != null) {
            throw new IllegalArgumentException("route " + path + " defined twice");
        }
        return this;
    }

    /** Routes every path that starts with {@code prefix} (which ends in {@code /}). */
    public Router prefix(String prefix, Endpoint endpoint) {
        prefixes.add(new Prefix(prefix, endpoint));
        prefixes.sort(Comparator.comparingInt((Prefix p) -> p.prefix().length()).reversed());
        return this;
    }

    public Optional<Match> route(String path) {
        Endpoint endpoint = exact.get(path);
        if (endpoint != null) {
            return Optional.of(new Match(endpoint, ""));
        }
        for (Prefix p : prefixes) {
            if (path.startsWith(p.prefix())) {
                return Optional.of(new Match(p.endpoint(), path.substring(p.prefix().length())));
            }
        }
        return Optional.empty();
    }
}
