package io.secrethub.core.policy;

import static io.secrethub.core.policy.Capability.DENY;
import static io.secrethub.core.policy.Capability.LIST;
import static io.secrethub.core.policy.Capability.READ;
import static io.secrethub.core.policy.Capability.UPDATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.InvalidRequestException;
import io.secrethub.core.authz.Acl;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Building, parsing and validating policies. */
class PolicyTest {

    @Test
    void parsesVaultJson() {
        Policy policy = Policy.fromJson("app", """
                {
                  "path": {
                    "secret/data/app/*": {"capabilities": ["read", "list"]},
                    "secret/data/app/admin": {"capabilities": ["deny"]},
                    "sys/+/health": {"capabilities": ["read", "sudo"]}
                  }
                }
                """);

        assertThat(policy.name()).isEqualTo("app");
        assertThat(policy.rules()).containsExactly(
                new PathRule("secret/data/app/*", Set.of(READ, LIST)),
                new PathRule("secret/data/app/admin", Set.of(DENY)),
                new PathRule("sys/+/health", Set.of(READ, Capability.SUDO)));
        assertThat(policy.rules().get(1).denies()).isTrue();
    }

    @Test
    void builderAndJsonAgree() {
        Policy built = Policy.builder("app").path("secret/data/app/*", READ, LIST).path("secret/data/app/admin", DENY)
                .build();
        Policy parsed = Policy.fromJson("app", built.toJson());

        assertThat(parsed).isEqualTo(built);
        assertThat(built.toJson()).isEqualTo(
                "{\"path\":{\"secret/data/app/*\":{\"capabilities\":[\"read\",\"list\"]},"
                        + "\"secret/data/app/admin\":{\"capabilities\":[\"deny\"]}}}");
    }

    @Test
    void repeatedPatternsInOnePolicyMerge() {
        Policy policy = Policy.builder("app").path("secret/*", READ).path("secret/*", UPDATE).build();
        assertThat(policy.rules()).containsExactly(new PathRule("secret/*", Set.of(READ, UPDATE)));
    }

    @Test
    void rulesAreImmutable() {
        Policy policy = Policy.builder("app").path("secret/*", READ).build();
        assertThatThrownBy(() -> policy.rules().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> policy.rules().get(0).capabilities().add(UPDATE))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
        secret/*/x     | '*' is only allowed as the last character
        secret/**      | '*' is only allowed as the last character
        secret/a+      | '+' must be a whole path segment
        secret/+a/x    | '+' must be a whole path segment
        secret/+*      | '+' must be a whole path segment
        /secret/x      | must not start with '/'
        secret//x      | contains an empty segment
        secret/a b     | contains a space or control character at index 8
        """)
    void invalidPatternsAreRefusedByName(String pattern, String problem) {
        assertThatThrownBy(() -> Policy.builder("p").path(pattern, READ))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("invalid path pattern \"" + pattern + "\": " + problem);
    }

    @Test
    void emptyAndOverlongPatternsAreRefused() {
        assertThatThrownBy(() -> Policy.builder("p").path("", READ)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> Policy.builder("p").path("a".repeat(513), READ))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("longer than 512");
        assertThatThrownBy(() -> Policy.builder("p").path("secret/x")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("path \"secret/x\": capabilities must not be empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "App", "-app", "app name", "app/x", "ap\u00e9"})
    void invalidNamesAreRefused(String name) {
        assertThatThrownBy(() -> Policy.builder(name).path("secret/*", READ).build())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("invalid policy name");
    }

    @Test
    void rootIsReservedAndDefaultIsNot() {
        assertThatThrownBy(() -> Policy.builder("root").path("secret/*", READ).build())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> Policy.fromJson("root", "{\"path\":{}}")).isInstanceOf(InvalidRequestException.class);
        assertThat(Policy.builder("default").path("secret/*", READ).build().name()).isEqualTo("default");
        assertThat(Policy.root().isRoot()).isTrue();
        assertThat(Policy.isValidName("team-a.prod_1")).isTrue();
    }

    @ParameterizedTest
    // CHECKSTYLE.OFF: LineLength (one case per line: policy | the exact error message)
    @CsvSource(delimiter = '|', textBlock = """
        {"path": {"secret/*": {"capabilities": ["write"]}}}                       | path "secret/*": unknown capability "write"; expected create, read, update, delete, list, deny or sudo
        {"path": {"secret/*": {"capabilities": ["READ"]}}}                        | path "secret/*": unknown capability "READ"
        {"path": {"secret/*": {"capabilities": ["patch"]}}}                       | path "secret/*": capability "patch" is not supported by SecretHub
        {"path": {"secret/*": {"capabilities": []}}}                              | path "secret/*": capabilities must not be empty
        {"path": {"secret/*": {"capabilities": "read"}}}                          | path "secret/*": "capabilities" must be an array of strings
        {"path": {"secret/*": {"capabilities": [1]}}}                             | path "secret/*": capability 1 is not a string
        {"path": {"secret/*": {}}}                                                | path "secret/*": "capabilities" must be an array of strings
        {"path": {"secret/*": ["read"]}}                                          | path "secret/*": expected an object with "capabilities"
        {"path": {"secret/*": {"capabilities": ["read"], "denied_parameters": {}}}} | path "secret/*": "denied_parameters" is not supported by SecretHub
        {"path": {"secret/*": {"capabilities": ["read"], "colour": "red"}}}       | path "secret/*": unknown member "colour"
        {"path": {"secret/*/x": {"capabilities": ["read"]}}}                      | invalid path pattern "secret/*/x"
        {"path": ["secret/*"]}                                                    | "path" must be an object
        {"name": "x", "path": {}}                                                 | unsupported top-level member "name"
        {"path": {"a": {"capabilities": ["read"]}, "a": {"capabilities": ["deny"]}}} | not valid JSON
        {"path": {                                                                | not valid JSON
        []                                                                        | invalid policy
        """)
    // CHECKSTYLE.ON: LineLength
    void invalidDocumentsAreRefusedNamingTheProblem(String json, String message) {
        assertThatThrownBy(() -> Policy.fromJson("app", json))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("invalid policy \"app\": ")
                .hasMessageContaining(message);
    }

    @Test
    void emptyDocumentsAreRefused() {
        assertThatThrownBy(() -> Policy.fromJson("app", " ")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> Policy.fromJson("app", null)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void aPolicyWithNoPathsIsValidAndGrantsNothing() {
        Policy empty = Policy.fromJson("empty", "{\"path\": {}}");
        assertThat(empty.rules()).isEmpty();
        assertThat(Acl.compile(List.of(empty)).allowed("secret/x", READ)).isFalse();
    }
}
