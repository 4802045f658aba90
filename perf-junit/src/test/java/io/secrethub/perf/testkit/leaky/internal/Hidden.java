package io.secrethub.perf.testkit.leaky.internal;

/** An internal type of the leaky fixture module that {@code ModuleBoundaryTest} expects to be found in the API. */
public class Hidden extends Exception {

    private static final long serialVersionUID = 1L;
}
