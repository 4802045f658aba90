package io.secrethub.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.OverloadedException;
import io.secrethub.core.SealedException;
import org.junit.jupiter.api.Test;

/** Core exceptions to HTTP answers. */
class CoreErrorsTest {

    @Test
    void anOverloadedCallIsA503SayingWhy() {
        ApiException answer = CoreErrors.map(new OverloadedException(
                "read a secret waited 30000 ms for one of the 128 places (maxConcurrentRequests)"));
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.errors()).singleElement().asString().contains("maxConcurrentRequests");
    }

    @Test
    void unknownFailuresAreNotMapped() {
        assertThat(CoreErrors.map(new IllegalStateException("bug"))).isNull();
        assertThat(CoreErrors.map(new SealedException("sealed")).status()).isEqualTo(503);
    }
}
