package io.secrethub.core.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "app/db/password", "A-Z_0.9/x", "..a/b..", ".hidden/x", "a/.b"})
    void acceptsWellFormedPaths(String path) {
        assertThat(SecretPath.validate(path)).isEqualTo(path);
    }

    @ParameterizedTest(name = "[{0}] → {1}")
    @CsvSource(delimiter = '|', value = {
        "/app|must not start with '/'",
        "app/|must not end with '/'",
        "app//db|segment 2 is empty",
        "app/../db|segment 2 is '..'",
        "./app|segment 1 is '.'",
        "app/.|segment 2 is '.'",
        "app db|not allowed at index 3",
        "app/db?x=1|not allowed at index 6",
        "app\\db|not allowed at index 3",
        "app/dé|not allowed at index 5",
        "app:db|not allowed at index 3",
        "app/%2e%2e|not allowed at index 4",
    })
    void refusesMalformedPathsNamingTheProblem(String path, String problem) {
        assertThatThrownBy(() -> SecretPath.validate(path)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining(problem);
    }

    @Test
    void refusesMissingEmptyAndOversizedPaths() {
        assertThatThrownBy(() -> SecretPath.validate(null)).hasMessageContaining("required");
        assertThatThrownBy(() -> SecretPath.validate("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> SecretPath.validate("a".repeat(513))).hasMessageContaining("limit is 512");
        assertThatThrownBy(() -> SecretPath.validate("a".repeat(129)))
                .hasMessageContaining("segment 1 is 129 characters");
        assertThatThrownBy(() -> SecretPath.validate("a/".repeat(32) + "a"))
                .hasMessageContaining("more than 32 segments");
        assertThat(SecretPath.validate("a/".repeat(31) + "a")).isNotNull();
        assertThatThrownBy(() -> SecretPath.validate("a\u0000b")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> SecretPath.validate("a\nb")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void messagesNeverEchoTheInput() {
        String hostile = "x/<script>secret-looking-value</script>";
        assertThatThrownBy(() -> SecretPath.validate(hostile)).message().doesNotContain("secret-looking-value");
    }

    @Test
    void prefixesAreNormalizedToFolders() {
        assertThat(SecretPath.validatePrefix("")).isEmpty();
        assertThat(SecretPath.validatePrefix(null)).isEmpty();
        assertThat(SecretPath.validatePrefix("app")).isEqualTo("app/");
        assertThat(SecretPath.validatePrefix("app/db/")).isEqualTo("app/db/");
        assertThatThrownBy(() -> SecretPath.validatePrefix("/")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> SecretPath.validatePrefix("app//")).isInstanceOf(InvalidRequestException.class);
    }
}
