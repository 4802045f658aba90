package io.secrethub.server.client;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Executor;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.ClientConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslClientConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Tells {@link AgentSslContextFactory} which agent's destination (Jetty's per-tag connection pool) opens a
 * connection, so the TLS engine is made from that agent's context and presents its certificate. Jetty makes
 * the engine inside this factory's {@code newConnection}, on the same thread, which the thread-local relies on.
 */
final class AgentTaggingSslFactory extends SslClientConnectionFactory {

    private static final ThreadLocal<String> OPENING_FOR = new ThreadLocal<>();

    AgentTaggingSslFactory(SslContextFactory.Client tls, ByteBufferPool buffers, Executor executor,
            ClientConnectionFactory next) {
        super(tls, buffers, executor, next);
    }

    @Override
    public Connection newConnection(EndPoint endPoint, Map<String, Object> context) throws IOException {
        OPENING_FOR.set(agentAlias(context));
        try {
            return super.newConnection(endPoint, context);
        } finally {
            OPENING_FOR.remove();
        }
    }

    /** The agent whose connection this thread is opening right now, or {@code null}. */
    static String openingFor() {
        return OPENING_FOR.get();
    }

    private static String agentAlias(Map<String, Object> context) {
        for (Object value : context.values()) {
            if (value instanceof Destination destination && destination.getOrigin().getTag() instanceof AgentTag tag) {
                return tag.alias();
            }
        }
        return null;
    }

    /** The tag of an agent's requests: its own destination, so its own connection and certificate. */
    record AgentTag(String alias) {
    }
}
