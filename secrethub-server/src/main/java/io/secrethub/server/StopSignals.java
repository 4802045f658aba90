package io.secrethub.server;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT stop the server. Handled as signals (not a shutdown hook) so the process drains and
 * then exits 0 on its own terms; a JVM killed through its shutdown hooks would exit 143.
 */
final class StopSignals {

    private StopSignals() {
    }

    static void install(Runnable stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> stop.run());
            } catch (IllegalArgumentException unavailable) {
                // the platform has no such signal (or the JVM reserves it): the default behaviour stays
            }
        }
    }
}
