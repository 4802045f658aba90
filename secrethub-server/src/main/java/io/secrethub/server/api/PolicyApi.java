package io.secrethub.server.api;

import io.secrethub.core.SecretHub;
import io.secrethub.core.policy.Policy;
import io.secrethub.server.http.ApiException;
import io.secrethub.server.http.ApiRequest;
import io.secrethub.server.http.Envelope;
import io.secrethub.server.http.Operation;
import io.secrethub.server.http.Reply;
import io.secrethub.server.http.Router;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ACL policies at {@code sys/policies/acl/…} and the older {@code sys/policy/…}, in Vault's HCL or JSON.
 * A read returns the policy's text exactly as it was written (core keeps it beside the rules it enforces).
 */
final class PolicyApi {

    private final SecretHub hub;

    PolicyApi(SecretHub hub) {
        this.hub = hub;
    }

    void register(Router router) {
        router.exact("sys/policies/acl", Methods.on(Operation.LIST, (r, rest) ->
                Envelope.of(Map.of("keys", hub.policies().list(r.token()))).reply()));
        router.prefix("sys/policies/acl/",
                Methods.on(Operation.READ, (r, name) -> read(r, lower(name), "policy", false))
                .and(Operation.UPDATE, (r, name) -> write(r, lower(name), "policy"))
                .and(Operation.DELETE, (r, name) -> delete(r, lower(name))));
        router.exact("sys/policy", Methods.on(Operation.READ, (r, rest) -> listOld(r))
                .and(Operation.LIST, (r, rest) -> listOld(r)));
        router.prefix("sys/policy/", Methods.on(Operation.READ, (r, name) -> read(r, lower(name), "rules", true))
                .and(Operation.UPDATE, (r, name) -> write(r, lower(name), "rules"))
                .and(Operation.DELETE, (r, name) -> delete(r, lower(name))));
    }

    /** Vault keeps policy names in lower case whatever case the path used. */
    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private Reply listOld(ApiRequest request) {
        List<String> names = hub.policies().list(request.token());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("keys", names);
        data.put("policies", names);
        return Envelope.of(data).dataAtTopLevel().reply();
    }

    private Reply read(ApiRequest request, String name, String textField, boolean topLevel) {
        Policy policy = hub.policies().read(request.token(), name);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", policy.name());
        // The text exactly as it was written, as Vault returns it; the canonical JSON for policies written without
        // it (the built-in default, or through the Java API).
        data.put(textField, policy.isRoot() ? "" : policy.source().orElseGet(policy::toJson));
        Envelope envelope = Envelope.of(data);
        return (topLevel ? envelope.dataAtTopLevel() : envelope).reply();
    }

    /** {@code policy} (both paths) or {@code rules} (the old path) holds the text. */
    private Reply write(ApiRequest request, String name, String textField) {
        String text = request.string("policy").or(() -> request.string(textField))
                .filter(t -> !t.isBlank())
                        .orElseThrow(() -> ApiException.badRequest("'policy' parameter not supplied or empty"));
        hub.policies().write(request.token(), parse(name, text).withSource(text));
        return Reply.noContent();
    }

    static Policy parse(String name, String text) {
        return text.stripLeading().startsWith("{") ? Policy.fromJson(name, text) : HclPolicy.parse(name, text);
    }

    private Reply delete(ApiRequest request, String name) {
        hub.policies().delete(request.token(), name);
        return Reply.noContent();
    }
}
