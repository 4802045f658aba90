package io.secrethub.core;

/**
 * The call was refused before it did any work: this instance already ran as many calls as it admits at once
 * ({@code SecretHubBuilder.maxConcurrentRequests}) and the call waited its longest in the queue
 * ({@code requestQueueTimeout}) without getting a place. Nothing was read, written or audited; try again later. A
 * server answers it with HTTP 503.
 */
public class OverloadedException extends SecretHubException {

    private static final long serialVersionUID = 1L;

    public OverloadedException(String message) {
        super(message);
    }
}
