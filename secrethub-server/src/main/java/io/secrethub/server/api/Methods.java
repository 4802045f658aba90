package io.secrethub.server.api;

import io.secrethub.server.http.ApiException;
import io.secrethub.server.http.ApiRequest;
import io.secrethub.server.http.Endpoint;
import io.secrethub.server.http.Operation;
import io.secrethub.server.http.Reply;
import java.util.EnumMap;
import java.util.Map;

/** An endpoint that dispatches on the operation; an operation it does not list is Vault's 405. */
final class Methods implements Endpoint {

    private final Map<Operation, Endpoint> byOperation = new EnumMap<>(Operation.class);

    static Methods on(Operation operation, Endpoint endpoint) {
        return new Methods().and(operation, endpoint);
    }

    Methods and(Operation operation, Endpoint endpoint) {
        byOperation.put(operation, endpoint);
        return this;
    }

    @Override
    public Reply handle(ApiRequest request, String rest) {
        Endpoint endpoint = byOperation.get(request.operation());
        if (endpoint == null) {
            throw ApiException.unsupportedOperation();
        }
        return endpoint.handle(request, rest);
    }
}
