package io.secrethub.server.api;

import io.secrethub.core.AgentRegistration;
import io.secrethub.core.SecretHub;
import io.secrethub.server.http.ApiException;
import io.secrethub.server.http.ApiRequest;
import io.secrethub.server.http.Envelope;
import io.secrethub.server.http.Operation;
import io.secrethub.server.http.Reply;
import io.secrethub.server.http.Router;
import io.secrethub.server.tls.PemFiles;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * SecretHub's agent identities:
 * <ul>
 * <li>{@code PUT /v1/agents/:id} (token, {@code csr}, {@code metadata}) registers and returns the certificate;
 * <li>{@code POST /v1/agents/:id/renew} ({@code csr}) renews, authenticated by the agent's current client
 *     certificate over mTLS;
 * <li>{@code GET /v1/agents/self} (mTLS) says which agent the presented certificate authenticates;
 * <li>{@code DELETE /v1/agents/:id} (token) revokes;
 * <li>{@code POST /v1/agents/verify} ({@code certificate}) checks any certificate.
 * </ul>
 * The mTLS endpoints verify the presented certificate through core on every request (chain to the
 * internal CA, validity, revocation in the database), so a revoked certificate is refused on the next
 * request whichever instance revoked it.
 */
final class AgentApi {

    private final SecretHub hub;

    AgentApi(SecretHub hub) {
        this.hub = hub;
    }

    void register(Router router) {
        router.exact("agents/verify", Methods.on(Operation.UPDATE, (r, rest) -> verify(r)));
        router.exact("agents/self", Methods.on(Operation.READ, (r, rest) -> self(r)));
        router.prefix("agents/", (request, rest) -> {
            if (rest.endsWith("/renew")) {
                return Methods.on(Operation.UPDATE, this::renew)
                        .handle(request, rest.substring(0, rest.length() - "/renew".length()));
            }
            return Methods.on(Operation.UPDATE, this::registerAgent).and(Operation.DELETE, this::revoke)
                    .handle(request, rest);
        });
    }

    private Reply registerAgent(ApiRequest request, String agentId) {
        Map<String, String> metadata = new LinkedHashMap<>();
        Object raw = request.body().get("metadata");
        if (raw instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getValue() instanceof String value)) {
                    throw ApiException.badRequest("metadata values must be strings");
                }
                metadata.put((String) e.getKey(), value);
            }
        } else if (raw != null) {
            throw ApiException.badRequest("invalid type for field \"metadata\": expected a JSON object");
        }
        AgentRegistration registration = hub.agents()
                .register(request.token(), agentId, request.requireString("csr"), metadata);
        return Envelope.of(registrationData(registration)).reply();
    }

    private Reply renew(ApiRequest request, String agentId) {
        String current = presentedCertificate(request);
        var verification = hub.agents().verifyPresented(current);
        if (!verification.isValid()) {
            throw refused(verification.outcome().name(), verification.message());
        }
        if (!verification.agentId().equals(agentId)) {
            throw new ApiException(403, "client certificate is not agent " + printable(agentId) + "'s");
        }
        AgentRegistration renewed = hub.agents().renew(agentId, current, request.requireString("csr"));
        return Envelope.of(registrationData(renewed)).reply();
    }

    private Reply self(ApiRequest request) {
        var verification = hub.agents().verifyPresented(presentedCertificate(request));
        if (!verification.isValid()) {
            throw refused(verification.outcome().name(), verification.message());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("agent_id", verification.agentId());
        data.put("serial", verification.serial().toString(16));
        data.put("not_after", verification.notAfter().toString());
        return Envelope.of(data).reply();
    }

    private Reply revoke(ApiRequest request, String agentId) {
        hub.agents().revoke(request.token(), agentId);
        return Reply.noContent();
    }

    private Reply verify(ApiRequest request) {
        var verification = hub.agents().verify(request.requireString("certificate"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("valid", verification.isValid());
        data.put("outcome", verification.outcome().name().toLowerCase(Locale.ROOT));
        data.put("message", verification.message());
        data.put("agent_id", verification.isValid() ? verification.agentId() : null);
        data.put("serial", verification.serial() == null ? null : verification.serial().toString(16));
        return Envelope.of(data).reply();
    }

    /** The leaf certificate the client presented in the TLS handshake, as PEM; 403 without one. */
    private static String presentedCertificate(ApiRequest request) {
        X509Certificate[] chain = request.peerCertificates()
                .orElseThrow(() -> new ApiException(403, "client certificate required"));
        return PemFiles.certificate(chain[0]);
    }

    private static ApiException refused(String outcome, String message) {
        return new ApiException(403, "client certificate refused (" + outcome.toLowerCase(Locale.ROOT) + "): "
                + message);
    }

    private static Map<String, Object> registrationData(AgentRegistration registration) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("agent_id", registration.agentId());
        data.put("serial", registration.serial().toString(16));
        data.put("certificate", registration.certificatePem());
        data.put("ca_chain", registration.chainPem());
        data.put("not_after", registration.notAfter().toString());
        return data;
    }

    private static String printable(String text) {
        return text.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
