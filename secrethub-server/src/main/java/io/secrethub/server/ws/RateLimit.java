package io.secrethub.server.ws;

/** A token bucket per connection; called on the connection's one message thread at a time. */
final class RateLimit {

    private final double perNano;
    private final int burst;
    private double tokens;
    private long last;
    /** Refusals since the bucket was last full again: a flood keeps it from refilling, a pause forgives. */
    private int refused;

    RateLimit(int perSecond, int burst, long nowNanos) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    /** Takes one message's token; false if the agent is over its rate. */
    boolean take(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - last) * perNano);
        last = nowNanos;
        if (tokens >= burst) {
            refused = 0;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        refused++;
        return false;
    }

    /** The agent went on sending through {@code burst} refusals without pausing: it does not listen. */
    boolean exhausted() {
        return refused > burst;
    }
}
