package io.secrethub.server.tls;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.AbstractConnector;

/**
 * Admission control for TLS handshakes: while {@code max} accepted connections are still in their handshake, the
 * connector stops accepting, and new connections wait in the kernel's accept queue (or, once it is full, their
 * clients retry the TCP connect) instead of joining the ones being served.
 *
 * <p>Why: a handshake is two or three rounds of CPU work with a wait for the client between them, and the server's
 * threads take the rounds of every accepted connection in turn. When 10,000 agents connect at once, every handshake
 * then advances a round at a time with all the others, so none completes for tens of seconds; the clients' timeouts
 * (30 s) fire, they retry on new connections while the server still works on the abandoned ones, and the storm
 * collapses: 1,915 of 10,000 agents connected in 300 s, after 152,689 failed attempts, and the server ran out of
 * file descriptors. With a bound, the connections admitted finish in milliseconds, one batch after another.
 *
 * <p>A client that stalls inside its handshake holds a place; the handshake gets a shorter idle timeout
 * ({@code handshakeTimeout}), after which the connection is closed and its place freed, and the connection's usual
 * idle timeout applies again once its handshake is done.
 *
 * <p>Installed as a bean of the connector: Jetty gives its {@link Connection.Listener} and
 * {@link SslHandshakeListener} beans to each connection it makes.
 */
public final class HandshakeLimit implements Connection.Listener, SslHandshakeListener {

    private final AbstractConnector connector;
    private final int max;
    private final long handshakeTimeoutMillis;
    private final Set<EndPoint> inHandshake = ConcurrentHashMap.newKeySet();
    private final AtomicLong pauses = new AtomicLong();

    public HandshakeLimit(AbstractConnector connector, int max, java.time.Duration handshakeTimeout) {
        if (max < 1) {
            throw new IllegalArgumentException("max handshakes in flight must be at least 1, was " + max);
        }
        this.connector = connector;
        this.max = max;
        this.handshakeTimeoutMillis = handshakeTimeout.toMillis();
    }

    @Override
    public void onOpened(Connection connection) {
        if (!(connection instanceof SslConnection)) {
            return; // plain HTTP on the TLS port, or the HTTP connection on top of TLS
        }
        // the handshake's events name the connection's TLS end point (its idle timeout is the network end point's)
        EndPoint endPoint = ((SslConnection) connection).getSslEndPoint();
        endPoint.setIdleTimeout(Math.min(endPoint.getIdleTimeout(), handshakeTimeoutMillis));
        inHandshake.add(endPoint);
        admit();
    }

    @Override
    public void handshakeSucceeded(Event event) {
        // the place is kept until the first request is answered (see firstRequest), the short idle timeout until it
        // arrives
    }

    /**
     * Wraps the server's handler: a connection's first request gets the connector's idle timeout back, and its
     * answer frees the connection's place. The place covers the connect's work after the handshake too (for an
     * agent, the WebSocket upgrade: its certificate check and token lookup against the database), which otherwise
     * piled up unbounded behind the handshakes: in a 10,000-agent storm, thousands of upgrades each advancing a step
     * at a time and 2,966 handlers waiting for the 20-connection pool.
     */
    public org.eclipse.jetty.server.Handler firstRequest(org.eclipse.jetty.server.Handler next) {
        return new org.eclipse.jetty.server.Handler.Wrapper(next) {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                    org.eclipse.jetty.util.Callback callback) throws Exception {
                EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
                if (inHandshake.contains(endPoint)) {
                    endPoint.setIdleTimeout(connector.getIdleTimeout());
                    org.eclipse.jetty.server.Request.addCompletionListener(request, failure -> release(endPoint));
                }
                return super.handle(request, response, callback);
            }
        };
    }

    @Override
    public void handshakeFailed(Event event, Throwable failure) {
        release(event.getEndPoint());
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof SslConnection tls) {
            release(tls.getSslEndPoint());
        }
    }

    private void release(EndPoint endPoint) {
        if (inHandshake.remove(endPoint)) {
            admit();
        }
    }

    /**
     * Accepts while fewer than {@code max} handshakes are in flight. Called after every change of the count, under
     * one lock, so the last call sees the last count and the connector is never left paused with no handshake left
     * to resume it.
     */
    private synchronized void admit() {
        boolean accept = inHandshake.size() < max;
        if (connector.isAccepting() != accept) {
            if (!accept) {
                pauses.incrementAndGet();
            }
            connector.setAccepting(accept);
        }
    }

    /** Connections accepted and not yet through their TLS handshake. */
    public int inFlight() {
        return inHandshake.size();
    }

    /** How many times accepting paused because {@code max} handshakes were in flight. */
    public long pauses() {
        return pauses.get();
    }
}
