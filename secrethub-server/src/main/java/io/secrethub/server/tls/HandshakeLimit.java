package io.secrethub.server.tls;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Admission control for connects: a TLS connection takes a place when it opens and gives it back when its first
 * request is answered (or it closes, or its handshake fails); while {@code max} places are taken the connector
 * stops accepting, and new connections wait in the kernel's accept queue (or, once it is full, their clients retry
 * the TCP connect) instead of joining the ones being served.
 *
 * <p>Why: a connect is rounds of CPU work (the handshake's, then the first request's: for an agent, the WebSocket
 * upgrade with its certificate check and token lookup against the database) with waits between them, and the
 * server takes the rounds of every accepted connection in turn. When 10,000 agents connect at once every connect
 * then advances a round at a time with all the others, so none completes for tens of seconds; the clients'
 * timeouts (30 s) fire, they retry on new connections while the server still works on the abandoned ones, and the
 * storm collapses: 1,915 of 10,000 agents connected in 300 s, after 152,689 failed attempts, and the server ran out
 * of file descriptors. With a bound, the connects admitted finish in milliseconds, one batch after another.
 *
 * <p>A client that stalls before its first request holds a place: until that request arrives the connection has a
 * shorter idle timeout ({@code firstRequestTimeout}), after which it is closed and its place freed; then its usual
 * idle timeout applies. A client that connects and sends nothing holds no place: no TLS connection is made before
 * a first byte.
 *
 * <p>Installed as a bean of the connector (Jetty gives its {@link Connection.Listener} and
 * {@link SslHandshakeListener} beans to each connection it makes) and around the server's handler
 * ({@link #firstRequest}).
 */
public final class HandshakeLimit implements Connection.Listener, SslHandshakeListener {

    private final AbstractConnector connector;
    private final int max;
    private final long firstRequestTimeoutMillis;
    /** The TLS end points of the connections holding a place. */
    private final Set<EndPoint> connecting = ConcurrentHashMap.newKeySet();
    private final AtomicLong pauses = new AtomicLong();

    public HandshakeLimit(AbstractConnector connector, int max, Duration firstRequestTimeout) {
        if (max < 1) {
            throw new IllegalArgumentException("max connects in progress must be at least 1, was " + max);
        }
        this.connector = connector;
        this.max = max;
        this.firstRequestTimeoutMillis = firstRequestTimeout.toMillis();
    }

    @Override
    public void onOpened(Connection connection) {
        if (!(connection instanceof SslConnection)) {
            return; // plain HTTP on the TLS port, or the HTTP connection on top of TLS
        }
        // the handshake's events name the connection's TLS end point (its idle timeout is the network end point's)
        EndPoint endPoint = ((SslConnection) connection).getSslEndPoint();
        endPoint.setIdleTimeout(Math.min(endPoint.getIdleTimeout(), firstRequestTimeoutMillis));
        connecting.add(endPoint);
        admit();
    }

    /**
     * Wraps the server's handler: a connection's first request gets the connector's idle timeout back, and its
     * answer frees the connection's place. The place covers the connect's work after the handshake too (for an
     * agent, the WebSocket upgrade: its certificate check and token lookup against the database), which otherwise
     * piled up unbounded behind the handshakes: in a 10,000-agent storm, thousands of upgrades each advancing a step
     * at a time and 2,966 handlers waiting for the 20-connection pool.
     */
    public Handler firstRequest(Handler next) {
        return new Handler.Wrapper(next) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
                if (connecting.contains(endPoint)) {
                    endPoint.setIdleTimeout(connector.getIdleTimeout());
                    Request.addCompletionListener(request, failure -> release(endPoint));
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
        if (connecting.remove(endPoint)) {
            admit();
        }
    }

    /**
     * Accepts while fewer than {@code max} places are taken. Called after every change of the count, under one lock,
     * so the last call sees the last count and the connector is never left paused with no connect left to resume
     * it.
     */
    private synchronized void admit() {
        boolean accept = connecting.size() < max;
        if (connector.isAccepting() != accept) {
            if (!accept) {
                pauses.incrementAndGet();
            }
            connector.setAccepting(accept);
        }
    }

    /** Connections accepted whose first request is not answered yet. */
    public int inFlight() {
        return connecting.size();
    }

    /** How many times accepting paused because {@code max} connects were in progress. */
    public long pauses() {
        return pauses.get();
    }
}
