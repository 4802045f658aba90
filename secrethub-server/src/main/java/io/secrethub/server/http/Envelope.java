package io.secrethub.server.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Vault's response envelope:
 * {@code request_id, lease_id, renewable, lease_duration, data, wrap_info, warnings, auth, mount_type}.
 */
public final class Envelope {

    private final Map<String, Object> body = new LinkedHashMap<>();

    private Envelope(Map<String, Object> data) {
        body.put("request_id", requestId().toString());
        body.put("lease_id", "");
        body.put("renewable", false);
        body.put("lease_duration", 0);
        body.put("data", data);
        body.put("wrap_info", null);
        body.put("warnings", null);
        body.put("auth", null);
        body.put("mount_type", "");
    }

    /**
     * A version 4 UUID from {@link ThreadLocalRandom}, as the core's request ids are: a request id is not a secret,
     * and {@link UUID#randomUUID()} takes the JDK's one shared SecureRandom, whose lock the login phase's agents
     * queued on (JFR: JavaMonitorEnter in SecureRandom.engineNextBytes, issue 14).
     */
    static UUID requestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    public static Envelope of(Map<String, Object> data) {
        return new Envelope(data);
    }

    public Envelope lease(String leaseId, long seconds, boolean renewable) {
        body.put("lease_id", leaseId);
        body.put("lease_duration", seconds);
        body.put("renewable", renewable);
        return this;
    }

    public Envelope auth(Map<String, Object> auth) {
        body.put("auth", auth);
        return this;
    }

    public Envelope mountType(String type) {
        body.put("mount_type", type);
        return this;
    }

    /**
     * Vault's older sys endpoints also put the data at the top level (clients read either); this copies it
     * there.
     */
    public Envelope dataAtTopLevel() {
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) body.get("data");
        Map<String, Object> merged = new LinkedHashMap<>(data);
        merged.putAll(body);
        body.clear();
        body.putAll(merged);
        return this;
    }

    public Reply reply() {
        return Reply.ok(body);
    }

    public Reply reply(int status) {
        return new Reply(status, body);
    }
}
