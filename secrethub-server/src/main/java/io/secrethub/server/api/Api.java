package io.secrethub.server.api;

import io.secrethub.core.SecretHub;
import io.secrethub.server.http.Router;

/** Every route of the HTTP API, by area. */
public final class Api {

    private Api() {
    }

    public static Router routes(SecretHub hub) {
        Router router = new Router();
        new SysApi(hub).register(router);
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
