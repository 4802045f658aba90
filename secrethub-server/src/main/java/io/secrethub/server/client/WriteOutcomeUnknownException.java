package io.secrethub.server.client;

/**
 * A request that changes something was sent and no answer came back (the connection was reset, the server died,
 * the answer timed out): it may or may not have been applied. The client does not send it again on its own,
 * since applying it twice could differ from applying it once; the caller decides (read back, or write again with
 * check-and-set). Reads, other idempotent requests and check-and-set writes never end here: they are retried.
 * {@link #status()} is 0: there was no answer.
 */
public final class WriteOutcomeUnknownException extends SecretHubClientException {

    private static final long serialVersionUID = 1L;

    private final String method;
    private final String path;

    public WriteOutcomeUnknownException(String method, String path, String server, Throwable cause) {
        super(0, method + " " + path + " was sent to " + server + " and no answer came back (" + describe(cause)
                + "): the write may or may not have been applied; read it back, or write with check-and-set", cause);
        this.method = method;
        this.path = path;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    static String describe(Throwable cause) {
        if (cause == null) {
            return "no cause";
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
