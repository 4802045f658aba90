package io.secrethub.perf.engine;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The per-agent state maps of one test class. Kept in the class's extension-context store, so agent 3 of a later
 * {@code @LoadTest} method sees what agent 3 of an earlier one stored.
 */
final class AgentStates {

    private final ConcurrentHashMap<Integer, ConcurrentMap<String, Object>> byAgent = new ConcurrentHashMap<>();

    /** Agent {@code agentId}'s map, created on first use. */
    ConcurrentMap<String, Object> of(int agentId) {
        return byAgent.computeIfAbsent(agentId, id -> new ConcurrentHashMap<>());
    }
}
