package io.secrethub.perf.testkit.leaky.internal;

/** An internal interface of the leaky fixture module. */
public interface Marker {
}
