package io.secrethub.server.http;

/** Answers the requests of one path (or every path under a prefix). */
@FunctionalInterface
public interface Endpoint {

    /**
     * @param request the call
     * @param rest for a prefix route, the path after the prefix ({@code ""} for an exact route)
     * @throws ApiException for Vault-style error answers; core exceptions are mapped by {@link CoreErrors}
     */
    Reply handle(ApiRequest request, String rest);
}
