package io.secrethub.perf.engine;

import org.junit.jupiter.api.extension.ExtensionContext;

/** Finds the {@link AgentStates} of the test class that a method's context belongs to. */
final class AgentStatesStore {

    private AgentStatesStore() {
    }

    /**
     * The agent states in the store of the class context (the parent of the method context), so they live as long
     * as the test class and are dropped with it.
     */
    static AgentStates of(ExtensionContext methodContext) {
        ExtensionContext classContext = methodContext.getParent().orElse(methodContext);
        return classContext.getStore(LoadTestExtension.NAMESPACE)
                .getOrComputeIfAbsent(AgentStates.class, type -> new AgentStates(), AgentStates.class);
    }
}
