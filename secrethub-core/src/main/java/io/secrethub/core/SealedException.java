package io.secrethub.core;

/**
 * The instance is sealed (or was sealed while the call ran): its keys are not in memory, so nothing
 * but {@code sys().status()} and {@code sys().unseal(…)} can run. Unseal this instance with the key shares.
 */
public class SealedException extends SecretHubException {

    private static final long serialVersionUID = 1L;

    public SealedException(String message) {
        super(message);
    }

    public SealedException(String message, Throwable cause) {
        super(message, cause);
    }
}
