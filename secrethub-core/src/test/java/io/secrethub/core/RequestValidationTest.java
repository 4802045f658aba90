package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHub;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input reaches no storage and gets an {@link InvalidRequestException} that repeats no value. */
@UnsealedHub
class RequestValidationTest {

    static SecretHub hub;
    static String root;

    @BeforeAll
    static void setUp(HubFixture fixture) {
        hub = fixture.hub();
        root = fixture.rootToken();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/abs", "trailing/", "a//b", "a/../b", "a/./b", "sp ace", "new\nline", ""})
    void malformedPathsAreRefusedByEveryOperation(String path) {
        assertThatThrownBy(() -> hub.secrets().write(root, path, Map.of("k", "v")))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> hub.secrets().read(root, path)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> hub.secrets().delete(root, path)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> hub.secrets().destroy(root, path, 1)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> hub.secrets().metadata(root, path)).isInstanceOf(InvalidRequestException.class);
        assertThat(hub.secrets().list(root, "")).isEmpty();
    }

    @Test
    void tokensAreCheckedBeforePaths() {
        assertThatThrownBy(() -> hub.secrets().read("shs.unknown", "/bad")).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> hub.secrets().read(null, "ok")).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> hub.secrets().read("", "ok")).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void badDataIsRefusedWithoutRepeatingValues() {
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("password", null);
        assertThatThrownBy(() -> hub.secrets().write(root, "data/x", nullValue))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("#1");
        assertThatThrownBy(() -> hub.secrets().write(root, "data/x", Map.of("", "hunter2")))
                .isInstanceOf(InvalidRequestException.class).hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> hub.secrets().write(root, "data/x", null)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> hub.secrets().write(root, "data/x", Map.of("big", "x".repeat(1 << 20))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> hub.secrets().delete(root, "data/x", new int[0]))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> hub.secrets().destroy(root, "data/x", 0)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> hub.audit().records(root, 1, 0)).isInstanceOf(InvalidRequestException.class);
    }
}
