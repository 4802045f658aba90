package io.secrethub.core.testing;

import io.secrethub.core.SecretHubBuilder;

/**
 * Builder settings for a test's instance, e.g. {@code b -> b.clock(CLOCK).nodeName("first")}. The data source is
 * set before; settings may replace it.
 */
@FunctionalInterface
public interface HubSettings {

    /** No settings beyond the data source. */
    HubSettings DEFAULTS = builder -> builder;

    SecretHubBuilder apply(SecretHubBuilder builder);
}
