package io.secrethub.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesNullsAndRefusesDuplicateKeys() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", Map.of("k", "v"));
        body.put("auth", null);
        assertThat(Json.write(body)).isEqualTo("{\"data\":{\"k\":\"v\"},\"auth\":null}");
        assertThat(Json.parseObject("{\"a\":\"1\"}")).containsEntry("a", "1");
        assertThatThrownBy(() -> Json.parseObject("{\"a\":1,\"a\":2}")).isInstanceOf(ApiException.class);
    }

    /**
     * With {@code JSON.std} every call allocated fresh 8-16 KB buffers (jackson-jr never hands its buffer recycler
     * back to the default pool): about 19 KB for this write and parse. Recycled per thread, about 2 KB.
     */
    @Test
    void aSmallWriteAndParseDoesNotAllocateFreshBuffersEachTime() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("request_id", UUID.randomUUID().toString());
        body.put("data", Map.of("data", Map.of("value", "config-value-1"), "version", 3));
        body.put("wrap_info", null);
        String text = Json.write(body);
        for (int i = 0; i < 2_000; i++) { // warm up: the JIT's own allocations settle
            Json.write(body);
            Json.parseObject(text);
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        int calls = 2_000;
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < calls; i++) {
            Json.write(body);
            Json.parseObject(text);
        }
        long perCall = (threads.getThreadAllocatedBytes(id) - before) / calls;
        assertThat(perCall).as("bytes allocated per write and parse").isLessThan(8_000);
    }

    @Test
    void envelopeRequestIdsAreVersion4Uuids() {
        UUID first = Envelope.requestId();
        assertThat(first.version()).isEqualTo(4);
        assertThat(first.variant()).isEqualTo(2);
        assertThat(Envelope.requestId()).isNotEqualTo(first);
        Object id = ((Map<?, ?>) Envelope.of(Map.of()).reply().body()).get("request_id");
        assertThat(UUID.fromString((String) id).version()).isEqualTo(4);
    }
}
