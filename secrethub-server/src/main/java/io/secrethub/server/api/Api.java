package io.secrethub.server.api;

import io.secrethub.core.SecretHub;
import io.secrethub.server.http.Router;
import java.util.function.BooleanSupplier;

/** Every route of the HTTP API, by area. */
public final class Api {

    private Api() {
    }

    /** The routes of a server that never drains. */
    public static Router routes(SecretHub hub) {
        return routes(hub, () -> false);
    }

    /** The routes; {@code draining} tells {@code sys/health} whether the server is draining (429). */
    public static Router routes(SecretHub hub, BooleanSupplier draining) {
        Router router = new Router();
        new SysApi(hub, draining).register(router);
        new KvApi(hub).register(router);
        new TokenApi(hub).register(router);
        new AppRoleApi(hub).register(router);
        new PolicyApi(hub).register(router);
        new LeaseApi(hub).register(router);
        new DatabaseApi(hub).register(router);
        new AgentApi(hub).register(router);
        return router;
    }
}
