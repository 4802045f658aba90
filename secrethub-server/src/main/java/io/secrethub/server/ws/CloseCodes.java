package io.secrethub.server.ws;

/**
 * The close codes of the agent channel beyond RFC 6455's own (1000 normal, 1001 going away or idle, 1002 protocol
 * error, 1009 message too big, 1011 server error). Private-use range 4000–4999, echoing HTTP where one fits.
 */
public final class CloseCodes {

    /**
     * RFC 6455's "going away": this instance is draining (it received SIGTERM) and closes every agent connection
     * with this code and the reason {@value #DRAINING_REASON}. Reconnect at once, to another instance (through the
     * load balancer, which already sees this one's health as 429, or to the next address of the client's list);
     * {@link io.secrethub.server.client.SecretHubAgent} does so and resynchronizes. An upgrade to a draining
     * instance is refused with 503. Jetty uses the same code for an idle connection it ends; that case, too, is
     * best answered by reconnecting.
     */
    public static final int GOING_AWAY = 1001;
    /** The close reason sent with {@link #GOING_AWAY} when the instance drains. */
    public static final String DRAINING_REASON = "draining: reconnect to another instance";

    /** No valid token: none in the upgrade request nor in the first message, or the token was revoked or expired. */
    public static final int UNAUTHENTICATED = 4401;
    /** The agent's client certificate is no longer valid (revoked, or expired). */
    public static final int CERTIFICATE_REFUSED = 4403;
    /** The peer answered no ping within a heartbeat interval. */
    public static final int HEARTBEAT_TIMEOUT = 4408;
    /** The agent kept sending faster than its rate after being told. */
    public static final int RATE_LIMITED = 4429;
    /** The agent did not take its messages: its outgoing queue was full. */
    public static final int SLOW_CONSUMER = 4503;

    private CloseCodes() {
    }
}
