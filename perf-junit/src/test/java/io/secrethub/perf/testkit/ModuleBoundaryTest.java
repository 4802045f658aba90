package io.secrethub.perf.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.perf.testkit.leaky.Leaky;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The boundary check finds every way an internal type can leak into an API signature, and nothing else. */
class ModuleBoundaryTest {

    private static final String ROOT = "io.secrethub.perf.testkit.leaky";
    private static final String HIDDEN = ROOT + ".internal.Hidden";
    private static final String MARKER = ROOT + ".internal.Marker";
    private static final String LEAKY = ROOT + ".Leaky";

    private final ModuleBoundary boundary = ModuleBoundary.of(Leaky.class, "leaky", ROOT, Set.of(ROOT));

    @Test
    void findsInternalTypesInEveryKindOfSignature() {
        assertThat(boundary.internalTypesInTheApi()).containsExactlyInAnyOrder(
                LEAKY + "<T> mentions " + MARKER,
                LEAKY + " implements mentions " + HIDDEN,
                LEAKY + "#field mentions " + HIDDEN,
                LEAKY + "#protectedField mentions " + HIDDEN,
                LEAKY + "#<init>(Hidden[]) parameters mentions " + HIDDEN,
                LEAKY + "#returnsHidden() returns mentions " + HIDDEN,
                LEAKY + "#throwsHidden() throws mentions " + HIDDEN,
                LEAKY + "#bounded(Marker) <M> mentions " + MARKER,
                LEAKY + "#bounded(Marker) parameters mentions " + MARKER,
                LEAKY + "#get() returns mentions " + HIDDEN,
                LEAKY + "$Nested#hidden() returns mentions " + HIDDEN);
    }

    @Test
    void scansOnlyTheEffectivelyPublicTypesOfTheApiPackages() {
        assertThat(boundary.apiTypes()).containsExactlyInAnyOrder(Leaky.class, Leaky.Nested.class);
    }

    @Test
    void theAssertionListsTheLeaks() {
        assertThatThrownBy(boundary::assertNoInternalTypeInTheApi)
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("leaky exposes internal types in its API:")
                .hasMessageContaining(LEAKY + "#field mentions " + HIDDEN);
    }

    @Test
    void declaringTheInternalPackageApiMakesTheLeaksGoAway() {
        ModuleBoundary wider = ModuleBoundary.of(Leaky.class, "leaky", ROOT, Set.of(ROOT, ROOT + ".internal"));

        assertThat(wider.internalTypesInTheApi()).isEmpty();
    }

    @Test
    void classesWithoutADescriptorFailTheExportCheck() {
        assertThatThrownBy(boundary::assertExportsExactlyTheApi)
                .isInstanceOf(AssertionError.class).hasMessageStartingWith("no module-info.class in ");
    }

    @Test
    void aDescriptorExportingOtherPackagesFails() {
        ModuleBoundary tooNarrow = ModuleBoundary.of(io.secrethub.perf.LoadTest.class, "io.secrethub.perf",
                "io.secrethub.perf", Set.of("io.secrethub.perf"));

        assertThatThrownBy(tooNarrow::assertExportsExactlyTheApi)
                .isInstanceOf(AssertionError.class)
                .hasMessage("io.secrethub.perf: exports [io.secrethub.perf, io.secrethub.perf.db] instead of"
                        + " [io.secrethub.perf]");
    }
}
