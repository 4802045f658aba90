package io.secrethub.server.api;

import io.secrethub.core.AuditVerification;
import io.secrethub.core.InitResult;
import io.secrethub.core.InstanceHealth;
import io.secrethub.core.InstanceInfo;
import io.secrethub.core.SealStatus;
import io.secrethub.core.SecretHub;
import io.secrethub.server.http.ApiException;
import io.secrethub.server.http.ApiRequest;
import io.secrethub.server.http.Envelope;
import io.secrethub.server.http.Operation;
import io.secrethub.server.http.Reply;
import io.secrethub.server.http.Router;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code sys/health}, {@code sys/ha-status}, {@code sys/seal-status}, {@code sys/init}, {@code sys/unseal},
 * {@code sys/seal}, {@code sys/auth}, {@code sys/internal/ui/mounts} and SecretHub's {@code sys/audit/verify}.
 */
final class SysApi {

    /** The Vault API version SecretHub answers like; clients compare it to enable features. */
    static final String VAULT_VERSION = "1.15.0";
    private static final String CLUSTER_NAME = "secrethub";

    /** Vault's status-code parameters of {@code sys/health}, with their defaults; SecretHub adds drainingcode. */
    private static final Map<String, Integer> HEALTH_CODES = Map.of("uninitcode", 501, "sealedcode", 503,
            "standbycode", 429, "activecode", 200, "drsecondarycode", 472, "performancestandbycode", 473,
            "drainingcode", 429);

    private final SecretHub hub;
    private final BooleanSupplier draining;

    SysApi(SecretHub hub, BooleanSupplier draining) {
        this.hub = hub;
        this.draining = draining;
    }

    void register(Router router) {
        router.exact("sys/health",
                Methods.on(Operation.READ, (r, rest) -> health(r)).and(Operation.HEAD, (r, rest) -> health(r)));
        router.exact("sys/ha-status", Methods.on(Operation.READ, (r, rest) -> haStatus(r)));
        router.exact("sys/seal-status",
                Methods.on(Operation.READ, (r, rest) -> Reply.ok(sealStatus(hub.sys().status()))));
        router.exact("sys/init", Methods.on(Operation.READ, (r, rest) -> Reply.ok(Map.of("initialized",
                hub.sys().status().initialized()))).and(Operation.UPDATE, (r, rest) -> init(r)));
        router.exact("sys/unseal", Methods.on(Operation.UPDATE, (r, rest) -> unseal(r)));
        router.exact("sys/seal", Methods.on(Operation.UPDATE, (r, rest) -> seal(r)));
        router.exact("sys/auth", Methods.on(Operation.READ, (r, rest) -> authMethods(r)));
        router.prefix("sys/auth/", Methods.on(Operation.UPDATE, this::enableAuth));
        router.prefix("sys/internal/ui/mounts/", Methods.on(Operation.READ, this::mount));
        router.exact("sys/audit/verify", Methods.on(Operation.READ, (r, rest) -> verifyAudit(r))
                .and(Operation.UPDATE, (r, rest) -> verifyAudit(r)));
    }

    /**
     * Vault's codes, each overridable by its query parameter as in Vault: 501 not initialized ({@code uninitcode}),
     * 503 sealed ({@code sealedcode}), 200 serving ({@code activecode}); and SecretHub's 429 while draining
     * ({@code drainingcode}), checked after the seal. Every instance serves every request, so none is ever a standby, a
     * performance standby or a DR secondary: {@code standbyok}, {@code perfstandbyok}, {@code standbycode},
     * {@code drsecondarycode} and {@code performancestandbycode} are validated as Vault does (a malformed one is a
     * 400) and change nothing; in particular {@code standbyok=true} never turns a draining instance's 429 into 200.
     */
    private Reply health(ApiRequest request) {
        flag(request, "standbyok");
        flag(request, "perfstandbyok");
        Map<String, Integer> codes = new LinkedHashMap<>();
        HEALTH_CODES.forEach((parameter, fallback) -> codes.put(parameter, code(request, parameter, fallback)));
        SealStatus status = hub.sys().status();
        boolean drainingNow = draining.getAsBoolean();
        int code;
        if (!status.initialized()) {
            code = codes.get("uninitcode");
        } else if (status.sealed()) {
            code = codes.get("sealedcode");
        } else if (drainingNow) {
            code = codes.get("drainingcode");
        } else {
            code = codes.get("activecode");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("initialized", status.initialized());
        body.put("sealed", status.sealed());
        body.put("standby", false);
        body.put("performance_standby", false);
        body.put("replication_performance_mode", "disabled");
        body.put("replication_dr_mode", "disabled");
        body.put("server_time_utc", Instant.now().getEpochSecond());
        body.put("version", VAULT_VERSION);
        body.put("enterprise", false);
        body.put("cluster_name", CLUSTER_NAME);
        body.put("node", hub.node());
        body.put("cluster", clusterView(hub.sys().health(), drainingNow));
        return new Reply(code, body);
    }

    /** SecretHub's own part of the health body: this instance as the cluster sees it. Vault clients ignore it. */
    private static Map<String, Object> clusterView(InstanceHealth health, boolean draining) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("instance_id", health.instanceId());
        view.put("draining", draining);
        view.put("database_reachable", health.databaseReachable());
        view.put("last_heartbeat", health.lastHeartbeatTime().map(Instant::toString).orElse(null));
        view.put("change_feed_connected", health.changeFeedConnected());
        view.put("audit_queue_depth", health.auditQueueDepth());
        view.put("live_instances", health.liveInstances());
        view.put("stale_after_seconds", health.staleAfter().toMillis() / 1000.0);
        view.put("started_at", health.startedAt().toString());
        return view;
    }

    /**
     * Vault's {@code sys/ha-status}: the live instances (heartbeat within the staleness bound). Every unsealed
     * instance serves, so each is an {@code active_node}; {@code last_echo} is its last heartbeat;
     * {@code cluster_address} is empty (instances never talk to each other). Needs {@code read} on the path.
     */
    private Reply haStatus(ApiRequest request) {
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (InstanceInfo instance : hub.sys().instances(request.token())) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("hostname", instance.hostname());
            node.put("api_address", instance.apiAddress());
            node.put("cluster_address", instance.clusterAddress());
            node.put("active_node", !instance.sealed());
            node.put("last_echo", instance.lastSeen().toString());
            node.put("version", VAULT_VERSION);
            node.put("instance_id", instance.instanceId());
            node.put("sealed", instance.sealed());
            node.put("started_at", instance.startedAt().toString());
            node.put("self", instance.self());
            nodes.add(node);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("nodes", nodes);
        return Envelope.of(data).dataAtTopLevel().reply();
    }

    /** Vault's boolean parameters (Go's strconv.ParseBool forms); a malformed one is a 400, as in Vault. */
    private static boolean flag(ApiRequest request, String parameter) {
        return request.query(parameter).map(text -> switch (text) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw ApiException.badRequest("bad value for " + parameter + " parameter");
        }).orElse(false);
    }

    private static int code(ApiRequest request, String parameter, int fallback) {
        return request.query(parameter).map(text -> {
            try {
                int value = Integer.parseInt(text);
                if (value < 100 || value > 599) {
                    throw new NumberFormatException();
                }
                return value;
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("invalid value for " + parameter);
            }
        }).orElse(fallback);
    }

    static Map<String, Object> sealStatus(SealStatus status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "shamir");
        body.put("initialized", status.initialized());
        body.put("sealed", status.sealed());
        body.put("t", status.threshold());
        body.put("n", status.shares());
        body.put("progress", status.progress());
        body.put("nonce", "");
        body.put("version", VAULT_VERSION);
        body.put("build_date", "");
        body.put("migration", false);
        body.put("recovery_seal", false);
        body.put("storage_type", "postgresql");
        if (!status.sealed()) {
            body.put("cluster_name", CLUSTER_NAME);
        }
        return body;
    }

    private Reply init(ApiRequest request) {
        for (String unsupported : List.of("pgp_keys", "root_token_pgp_key", "stored_shares", "recovery_shares")) {
            Object value = request.body().get(unsupported);
            if (value != null && !(value instanceof Number n && n.intValue() == 0)
                    && !(value instanceof List<?> l && l.isEmpty()) && !"".equals(value)) {
                throw ApiException.badRequest(unsupported + " is not supported by SecretHub");
            }
        }
        int shares = request.integer("secret_shares")
                .orElseThrow(() -> ApiException.badRequest("missing secret_shares"));
        int threshold = request.integer("secret_threshold")
                .orElseThrow(() -> ApiException.badRequest("missing secret_threshold"));
        if (hub.sys().status().initialized()) {
            throw ApiException.badRequest("Vault is already initialized");
        }
        InitResult result = hub.sys().initialize(shares, threshold);
        List<String> hex = new ArrayList<>();
        List<String> base64 = new ArrayList<>();
        for (String share : result.shares()) {
            byte[] raw = Base64.getUrlDecoder().decode(share);
            hex.add(HexFormat.of().formatHex(raw));
            base64.add(Base64.getEncoder().encodeToString(raw));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("keys", hex);
        body.put("keys_base64", base64);
        body.put("root_token", result.rootToken());
        return Reply.ok(body);
    }

    private Reply unseal(ApiRequest request) {
        if (request.bool("reset").orElse(false)) {
            throw ApiException.badRequest("reset is not supported by SecretHub: a wrong share already resets progress");
        }
        String key = request.string("key").filter(k -> !k.isEmpty()).orElseThrow(() -> ApiException.badRequest(
                "'key' must be specified in request body as JSON, or 'reset' set to true"));
        SealStatus status = hub.sys().unseal(coreShare(key));
        return Reply.ok(sealStatus(status));
    }

    /** Vault hands keys out as hex and base64 and takes either back; core's shares are base64url. */
    static String coreShare(String key) {
        String text = key.strip();
        byte[] raw;
        try {
            if (text.length() % 2 == 0 && text.matches("[0-9a-fA-F]+")) {
                raw = HexFormat.of().parseHex(text);
            } else if (text.contains("+") || text.contains("/") || text.endsWith("=")) {
                raw = Base64.getDecoder().decode(text);
            } else {
                raw = Base64.getUrlDecoder().decode(text);
            }
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'key' must be a valid hex or base64 string");
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private Reply seal(ApiRequest request) {
        // The core checks update + sudo on sys/seal, as Vault does, and audits the call.
        hub.sys().seal(request.token());
        return Reply.noContent();
    }

    private Reply authMethods(ApiRequest request) {
        Callers.authenticate(hub, request.token());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("approle/", method("approle", "auth_approle_secrethub"));
        data.put("token/", method("token", "auth_token_secrethub"));
        return Envelope.of(data).dataAtTopLevel().reply();
    }

    private static Map<String, Object> method(String type, String accessor) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("default_lease_ttl", 0);
        config.put("max_lease_ttl", 0);
        config.put("force_no_cache", false);
        config.put("token_type", "default-service");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("description", type.equals("token") ? "token based credentials" : "");
        m.put("accessor", accessor);
        m.put("config", config);
        m.put("local", false);
        m.put("seal_wrap", false);
        m.put("external_entropy_access", false);
        m.put("options", null);
        m.put("uuid", accessor);
        return m;
    }

    /** AppRole and token are always enabled: enabling AppRole again succeeds, so clients that do it first work. */
    private Reply enableAuth(ApiRequest request, String path) {
        Callers.requireRoot(hub, request.token());
        String mount = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String type = request.string("type").orElse(mount);
        if (mount.equals("approle") && type.equals("approle")) {
            return Reply.noContent();
        }
        if (mount.equals("token")) {
            throw ApiException.badRequest("path is already in use at token/");
        }
        throw ApiException.badRequest("SecretHub offers the approle and token auth methods only, at approle/ and "
                + "token/");
    }

    /** What the vault CLI asks to learn that {@code secret/} is KV version 2. */
    private Reply mount(ApiRequest request, String path) {
        Callers.authenticate(hub, request.token());
        Map<String, Object> data = new LinkedHashMap<>();
        if (path.equals("secret") || path.startsWith("secret/")) {
            data.put("type", "kv");
            data.put("path", "secret/");
            data.put("options", Map.of("version", "2"));
        } else if (path.equals("database") || path.startsWith("database/")) {
            data.put("type", "database");
            data.put("path", "database/");
            data.put("options", null);
        } else {
            throw new ApiException(403, io.secrethub.server.http.CoreErrors.PERMISSION_DENIED);
        }
        data.put("description", "");
        data.put("config", Map.of("default_lease_ttl", 0, "max_lease_ttl", 0, "force_no_cache", false));
        data.put("local", false);
        data.put("seal_wrap", false);
        data.put("external_entropy_access", false);
        return Envelope.of(data).reply();
    }

    private Reply verifyAudit(ApiRequest request) {
        // The core checks sudo on sys/audit/verify and audits the call.
        AuditVerification v = hub.audit().verify(request.token());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("intact", v.intact());
        data.put("records_checked", v.recordsChecked());
        data.put("first_invalid_sequence", v.firstInvalidSequence().isPresent() ? v.firstInvalidSequence().getAsLong()
                : null);
        data.put("problem", v.problem().name().toLowerCase(java.util.Locale.ROOT));
        data.put("message", v.message());
        return Envelope.of(data).reply();
    }
}
