package io.secrethub.server.ws;

import java.time.Duration;

/**
 * Limits of the agent channel, per connection.
 *
 * @param heartbeat how often the server pings; a peer that has sent nothing (not even the pong) since the previous
 *     ping is disconnected, so a dead peer goes within two intervals
 * @param idleLimit a connection with no traffic at all this long is closed (pongs count, so only peers that
 *     answer no ping reach it; the heartbeat usually closes them first)
 * @param maxMessageBytes the largest text message accepted; a larger one closes the connection (1009)
 * @param maxQueuedMessages messages written to the connection but not yet taken by the network; beyond this the
 *     consumer is too slow and is closed ({@link CloseCodes#SLOW_CONSUMER})
 * @param messagesPerSecond sustained rate of agent messages; faster ones are refused with an error message
 * @param burst messages the agent may send at once above the rate, and the refusals in a row after which it is
 *     closed ({@link CloseCodes#RATE_LIMITED})
 * @param reconcileEvery how often what the agents were told is compared with the database ({@link PushReconciler});
 *     a change whose notification or push was lost reaches the agents within two to three of these
 */
public record ChannelSettings(Duration heartbeat, Duration idleLimit, int maxMessageBytes, int maxQueuedMessages,
        int messagesPerSecond, int burst, Duration reconcileEvery) {

    public ChannelSettings {
        if (heartbeat.isNegative() || heartbeat.isZero() || idleLimit.isNegative() || idleLimit.isZero()
                || reconcileEvery.isNegative() || reconcileEvery.isZero()) {
            throw new IllegalArgumentException("heartbeat, idleLimit and reconcileEvery must be positive");
        }
        if (maxMessageBytes < 1024 || maxQueuedMessages < 1 || messagesPerSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("channel limits must be positive (maxMessageBytes at least 1024)");
        }
    }

    public static ChannelSettings defaults() {
        return new ChannelSettings(Duration.ofSeconds(30), Duration.ofMinutes(5), 64 * 1024, 256, 100, 200,
                Duration.ofSeconds(5));
    }

    public ChannelSettings withHeartbeat(Duration interval) {
        return new ChannelSettings(interval, idleLimit, maxMessageBytes, maxQueuedMessages, messagesPerSecond, burst,
                reconcileEvery);
    }

    public ChannelSettings withMaxQueuedMessages(int messages) {
        return new ChannelSettings(heartbeat, idleLimit, maxMessageBytes, messages, messagesPerSecond, burst,
                reconcileEvery);
    }

    public ChannelSettings withRate(int perSecond, int burstMessages) {
        return new ChannelSettings(heartbeat, idleLimit, maxMessageBytes, maxQueuedMessages, perSecond, burstMessages,
                reconcileEvery);
    }

    public ChannelSettings withReconcileEvery(Duration interval) {
        return new ChannelSettings(heartbeat, idleLimit, maxMessageBytes, maxQueuedMessages, messagesPerSecond, burst,
                interval);
    }
}
