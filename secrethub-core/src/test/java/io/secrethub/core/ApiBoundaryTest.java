package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.policy.Policy;
import io.secrethub.core.runtime.HubInternals;
import io.secrethub.core.token.TokenStore;
import io.secrethub.perf.testkit.ModuleBoundary;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The public API is what the module descriptor says it is: it exports exactly {@code io.secrethub.core} and
 * {@code io.secrethub.core.policy}, opens nothing, and nothing a caller can see in those packages (signatures,
 * supertypes, fields of public types) names a type from an internal package. Reads the compiled classes, so it
 * holds however the tests themselves are run (module path or class path). The check itself, and a fixture that
 * shows it can fail, are perf-junit's {@link ModuleBoundary}.
 */
class ApiBoundaryTest {

    private static final String MODULE = "io.secrethub.core";
    private static final Set<String> API = Set.of(MODULE, MODULE + ".policy");

    private final ModuleBoundary boundary = ModuleBoundary.of(SecretHub.class, MODULE, MODULE, API);

    @Test
    void theDescriptorExportsExactlyTheApiPackagesAndOpensNone() {
        boundary.assertExportsExactlyTheApi();
        assertThat(boundary.descriptor().opens()).as("no package is opened to reflection").isEmpty();
    }

    @Test
    void noPublicSignatureInTheApiNamesAnInternalType() {
        assertThat(boundary.apiTypes()).as("the scan finds the API")
                .contains(SecretHub.class, SecretHubBuilder.class, Policy.class, CertificateVerification.class)
                .doesNotContain(TokenStore.class, HubInternals.class);
        boundary.assertNoInternalTypeInTheApi();
    }
}
