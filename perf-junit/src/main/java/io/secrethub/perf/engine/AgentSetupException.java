package io.secrethub.perf.engine;

/** A {@code @BeforeAgent} method or the warm-up failed on one agent, which aborts the load test. */
final class AgentSetupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    AgentSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
