package io.secrethub.server.client;

/**
 * No server answered within the client's failover budget: every address refused the connection, reset it before
 * the request was sent, or said it could not serve (503 sealed, 429 draining). Nothing was applied, so sending
 * the request again later is safe. {@link #status()} is 503.
 */
public final class ServerUnavailableException extends SecretHubClientException {

    private static final long serialVersionUID = 1L;

    public ServerUnavailableException(String method, String path, int attempts, Throwable cause) {
        super(503, method + " " + path + ": no server could serve it after " + attempts + " attempt"
                + (attempts == 1 ? "" : "s") + " (last: " + WriteOutcomeUnknownException.describe(cause)
                + "); it was not applied", cause);
    }
}
