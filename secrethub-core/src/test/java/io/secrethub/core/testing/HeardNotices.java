package io.secrethub.core.testing;

import io.secrethub.core.SecretChangeListener;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A listener that queues the token and agent notices an instance hears, in the order heard, for tests to poll. */
public final class HeardNotices implements SecretChangeListener {

    private final BlockingQueue<String> tokens = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> agents = new LinkedBlockingQueue<>();

    /** Accessors of revoked tokens. */
    public BlockingQueue<String> tokens() {
        return tokens;
    }

    /** Ids of agents whose certificates changed. */
    public BlockingQueue<String> agents() {
        return agents;
    }

    @Override
    public void secretChanged(String path) {
    }

    @Override
    public void tokenRevoked(String accessor) {
        tokens.add(accessor);
    }

    @Override
    public void agentCertificatesChanged(String agentId) {
        agents.add(agentId);
    }
}
