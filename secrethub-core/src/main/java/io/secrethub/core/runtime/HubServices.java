package io.secrethub.core.runtime;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hub's services in dependency order: each may use those before it. Start walks the list forwards; seal and
 * stop walk it backwards, so a service is sealed and stopped while everything it relies on still runs (lease
 * revocations in flight finish before the admin pools they use close; every part has audited before the
 * audit writer stops).
 */
final class HubServices {

    private static final Logger LOG = LoggerFactory.getLogger(HubServices.class);

    private final List<HubService> services;
    /** How many services (a prefix of the list) have started and not stopped. Guarded by this. */
    private int running;

    HubServices(List<HubService> services) {
        this.services = List.copyOf(services);
    }

    /** Starts every service in order. If one fails, those already started are stopped and the failure thrown. */
    synchronized void start() {
        if (running > 0) {
            throw new IllegalStateException("the services are already running");
        }
        for (HubService service : services) {
            try {
                service.start();
            } catch (RuntimeException e) {
                stop();
                throw e;
            }
            running++;
        }
    }

    /**
     * Runs every seal action, last service first. Each runs even if another failed: a failure is logged, and
     * what the others hold is dropped all the same.
     */
    void sealed() {
        for (int i = services.size() - 1; i >= 0; i--) {
            HubService service = services.get(i);
            quietly("seal", service, service::sealed);
        }
    }

    /** Stops the started services, last first; each is stopped even if another failed to. */
    synchronized void stop() {
        while (running > 0) {
            HubService service = services.get(--running);
            quietly("stop", service, service::stop);
        }
    }

    private static void quietly(String what, HubService service, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.error("could not {} the {}", what, service.name(), e);
        }
    }
}
