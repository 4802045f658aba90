package io.secrethub.perf.config;

/**
 * A load test is configured wrongly: an annotation attribute or configuration parameter does not parse or is
 * out of range. The message names where the bad value came from and what was expected.
 */
public class PerfConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** With the complete message shown to the user. */
    public PerfConfigurationException(String message) {
        super(message);
    }
}
