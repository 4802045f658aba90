package io.secrethub.core.lease;

import io.secrethub.core.SecretHubException;

/**
 * Turns a revocation failure into the text stored in {@code last_error} and logged. SecretHub's own
 * exceptions carry no secrets by contract (they name the step and the SQLSTATE); anything else is
 * reduced to its type, since a driver's message can quote a statement.
 */
final class Failures {

    private static final int MAX_LENGTH = 500;

    private Failures() {
    }

    static String describe(Throwable failure) {
        String text = failure instanceof SecretHubException && failure.getMessage() != null
                ? failure.getMessage()
                : "unexpected " + failure.getClass().getSimpleName();
        return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH);
    }
}
